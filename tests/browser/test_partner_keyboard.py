"""A partner fills the whole questionnaire with the keyboard only, on a phone-sized screen,
stops half-way, reopens the link, switches to English, finishes and submits."""

from __future__ import annotations

from sqlalchemy import select

from partenariat.database import db
from partenariat.models import ControversyReport, Invitation, Response
from questionnaires import load_instrument
from tests.browser.conftest import screenshot

INSTRUMENT = load_instrument()
CONDITIONS = INSTRUMENT.section("conditions").items
KEYS = INSTRUMENT.section("keys").items
TOTAL = len(INSTRUMENT.items)
OPTIONS = ["A", "B", "C", "NSP"]


def active(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, name: e.name || '', type: e.type || '', text: (e.textContent || '').trim(),"
        " value: e.value || '', outline: getComputedStyle(e).outlineStyle}; }"
    )


def tab_until(page, predicate, *, backwards=False, limit=80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        element = active(page)
        if predicate(element):
            return element
    raise AssertionError(f"focus never reached the element; last was {active(page)}")


def activate(page, url: str) -> None:
    """Press Enter on the focused control and wait for the page it leads to."""
    with page.expect_navigation(url=url):
        page.keyboard.press("Enter")


def answer_by_keyboard(page, code: str, option: str) -> None:
    """Focus is on the group's first radio: Space selects A, each ArrowDown the next option."""
    element = active(page)
    assert element["name"] == code and element["type"] == "radio", element
    page.keyboard.press("Space")
    for _ in range(OPTIONS.index(option)):
        page.keyboard.press("ArrowDown")
    assert page.is_checked(f"input[name={code}][value={option}]")


def answer_items(page, codes, choice) -> None:
    tab_until(page, lambda e: e["name"] == codes[0])
    for index, code in enumerate(codes):
        answer_by_keyboard(page, code, choice(code))
        if index + 1 < len(codes):
            page.keyboard.press("Tab")


def test_keyboard_only_partner_on_a_phone(app, live_server, phone, make_campaign):
    _cid, [token] = make_campaign()
    link = f"{live_server}/r/{token}"
    expected = {code: OPTIONS[i % 3] for i, code in enumerate(CONDITIONS)}
    expected |= {code: OPTIONS[(i + 1) % 4] for i, code in enumerate(KEYS)}
    expected |= {"CV1": "B", "CV2": "C", "CV3": "NSP"}

    page = phone()
    page.goto(link)
    assert page.locator("h1").inner_text().startswith("Bienvenue")
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sector_select = tab_until(page, lambda e: e["name"] == "sector")
    assert sector_select["outline"] != "none"  # visible focus
    page.keyboard.type("Mun")
    assert page.input_value("select[name=sector]") == "municipal"
    tab_until(page, lambda e: e["tag"] == "BUTTON" and e["text"] == "Commencer")
    activate(page, f"{link}/conditions")

    answer_items(page, CONDITIONS, expected.get)
    assert page.locator("#progress-text").inner_text() == f"{len(CONDITIONS)} questions répondues sur {TOTAL}"
    screenshot(page, "partner-conditions-phone")
    tab_until(page, lambda e: e["text"] == "Enregistrer et continuer")
    activate(page, f"{link}/keys")

    # Half of the keys, then "finish later" and the tab is closed.
    answer_items(page, KEYS[:7], expected.get)
    tab_until(page, lambda e: e["text"] == "Enregistrer et terminer plus tard")
    activate(page, f"{link}/keys")
    assert "Vos réponses sont enregistrées" in page.locator(".flash-success").inner_text()
    page.context.close()

    # Later, on another device: the same link picks up where the partner stopped.
    page = phone()
    page.goto(link)
    assert f"{len(CONDITIONS) + len(KEYS[:7])} questions sur {TOTAL}" in page.locator(".resume").inner_text()
    tab_until(page, lambda e: e["text"] == "Continuer")
    # "Continue" opens the first unanswered question, scrolled into view.
    activate(page, f"{link}/keys#item-{KEYS[7]}")
    assert page.evaluate(f"document.getElementById('item-{KEYS[7]}').getBoundingClientRect().top") < 100
    for code in KEYS[:7]:
        assert page.is_checked(f"input[name={code}][value={expected[code]}]")
    page.goto(f"{link}/conditions")
    page.keyboard.press("Tab")
    tab_until(page, lambda e: e["name"] == "C01")
    activate(page, f"{link}/keys")  # implicit submission moves forward

    answer_items(page, KEYS[7:], expected.get)
    # Switch to English from the header without losing the answers just given.
    tab_until(page, lambda e: e["tag"] == "A" and e["text"] == "English", backwards=True)
    activate(page, f"{link}/keys")
    assert page.locator("h1").inner_text() == "The five keys to move forward"
    assert page.locator("#progress-text").inner_text() == f"{len(CONDITIONS) + len(KEYS)} of {TOTAL} questions answered"
    for code in KEYS:
        assert page.is_checked(f"input[name={code}][value={expected[code]}]")
    tab_until(page, lambda e: e["text"] == "Save and continue")
    activate(page, f"{link}/controversies")

    answer_items(page, ["CV1", "CV2", "CV3"], expected.get)
    tab_until(page, lambda e: e["name"] == "report_title")
    page.keyboard.type("Horaire des rencontres")
    tab_until(page, lambda e: e["text"] == "Save and review")
    activate(page, f"{link}/review")
    assert "You have answered every question." in page.content()
    assert "Horaire des rencontres" in page.content()

    # Sending without ticking the box says why under it, and the box's label keeps the row's width
    # (the message once widened the box's column and squeezed the label to a word per line).
    tab_until(page, lambda e: e["text"] == "Send my answers")
    activate(page, f"{link}/review")
    assert page.locator("#confirm-error").inner_text() == "Tick the box to confirm that you want to send your answers."
    box, label, form = (page.locator(s).bounding_box() for s in ("#confirm", "label[for=confirm]", "form.submit-form"))
    assert label["x"] - (box["x"] + box["width"]) < 24
    assert label["width"] > 0.75 * form["width"]

    # A copy of a page's answers kept in the tab (as after a failed save) must not outlive the sending.
    page.evaluate("sessionStorage.setItem('partenariat:' + location.pathname.replace('/review', '/keys'), '{}')")
    checkbox = tab_until(page, lambda e: e["name"] == "confirm")
    assert checkbox["type"] == "checkbox"
    page.keyboard.press("Space")
    tab_until(page, lambda e: e["text"] == "Send my answers")
    activate(page, link)
    assert page.locator("h1").inner_text() == "Thank you, your answers were received"
    page.wait_for_load_state("load")
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('partenariat:')).length") == 0
    screenshot(page, "partner-received-phone")

    with app.app_context():
        response = db().scalars(select(Response)).one()
        assert {a.item_code: a.value for a in response.answers} == expected
        assert (response.sector, response.lang) == ("municipal", "en")
        assert db().scalars(select(ControversyReport)).one().title == "Horaire des rencontres"
        assert db().scalars(select(Invitation)).one().status == "submitted"
