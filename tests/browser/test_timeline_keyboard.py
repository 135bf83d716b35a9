"""The timeline pages in Chromium: events added with the keyboard only, linked, and the chain
read back; the diagram scrolls in its own frame on a phone, the page does not."""

from __future__ import annotations

import pytest

from partenariat.database import db
from partenariat.services import timeline as timelines
from partenariat.timeline.model import PartialDate
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import sign_in


@pytest.fixture
def project_id(app, accounts):
    with app.app_context():
        project = timelines.create_project(db(), accounts["Table A"], timelines.ProjectFields("Marché solidaire"))
        db().commit()
        return project.id


def focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until ``selector`` has the focus, as someone without a mouse would."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def add_event_by_keyboard(page, date: str, title: str, rt_steps: int, setback: bool = False) -> None:
    """On the new-event page (the date field has the focus): the date, the title, an RT card
    picked with the arrow keys (``rt_steps`` cards after RT01), optionally "setback", then save."""
    # The browser moves the focus to the autofocus field once the page is drawn.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'date'")
    page.keyboard.type(date)
    page.keyboard.press("Tab")
    page.keyboard.type(title)
    page.keyboard.press("Tab")
    assert focused(page, "#rt-RT01")  # the card group, entered on its first card
    page.keyboard.press("Space")
    for _ in range(rt_steps):
        page.keyboard.press("ArrowRight")
    if setback:
        page.keyboard.press("Tab")
        assert focused(page, "input[name=kind][value=resultat]")
        page.keyboard.press("ArrowRight")
    tab_to(page, "form.entry-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_events_added_linked_and_their_chain_read_with_the_keyboard_only(app, live_server, browser, project_id):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server, "coordinator")
    base = f"{live_server}/coordination/projects/{project_id}"
    page.goto(f"{base}/events/new")
    add_event_by_keyboard(page, "2019-02", "Premier comité de travail", rt_steps=0)
    assert "E01 est ajouté" in page.locator(".flash-success").inner_text()
    add_event_by_keyboard(page, "2019-05-14", "Le comité adopte son mandat", rt_steps=1)
    add_event_by_keyboard(page, "2020", "Un bailleur se retire", rt_steps=9, setback=True)
    add_event_by_keyboard(page, "2021", "Un événement sans lien", rt_steps=3)
    # A refused setback (RT02) keeps what was typed and says why, next to the field.
    add_event_by_keyboard(page, "2022", "Revers refusé", rt_steps=1, setback=True)
    assert page.locator("#kind-error").inner_text().startswith("Un revers n'est possible que sur RT09")
    assert page.locator("#title").input_value() == "Revers refusé"

    page.goto(f"{base}/effects/new")
    tab_to(page, "#date")
    page.keyboard.type("2021-09")
    page.keyboard.press("Tab")
    page.keyboard.type("Un marché chaque samedi")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base}/links"

    def link(source: str, target: str, why: str = "") -> None:
        tab_to(page, "#source")
        page.keyboard.type(source)
        page.keyboard.press("Tab")
        page.keyboard.type(target)
        page.keyboard.press("Tab")
        page.keyboard.type(why)
        with page.expect_navigation():
            page.keyboard.press("Enter")

    link("E01", "E02", "le comité s'est donné des règles")
    link("E02", "E03")
    link("E03", "FX01")
    assert page.locator("table.data tbody tr").count() == 3
    link("E03", "E01")  # would close a cycle
    error = page.locator("#target-error").inner_text()
    assert "« Un bailleur se retire »" in error and "« Premier comité de travail »" in error
    assert page.locator("table.data tbody tr").count() == 3

    page.goto(f"{base}/table")
    tab_to(page, "a[href$='/chain']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    refs = page.locator("table.chain-table tbody tr td:nth-child(2)").all_inner_texts()
    assert refs == ["E01", "E02", "E03", "FX01"]  # upstream of the effect, in order; E04 has no link
    assert page.locator("#chain g.node").count() == 4 and page.locator("#chain path.link").count() == 3
    screenshot(page, "timeline-chain")
    context.close()


def test_a_wide_timeline_scrolls_in_its_frame_not_the_page_on_a_phone(app, accounts, live_server, phone):
    with app.app_context():
        project = timelines.create_project(db(), accounts["Table A"], timelines.ProjectFields("Dix ans"))
        events = [timelines.add_event(db(), project, timelines.EventFields(
            PartialDate(2012 + n % 12, n % 12 + 1), f"Événement {n}", f"RT{n % 12 + 1:02d}",
            "revers" if n % 12 >= 8 else "resultat")) for n in range(40)]
        for before, after in zip(events, events[1:], strict=False):
            if before.date < after.date:
                timelines.add_link(db(), project, before, after)
        db().commit()
        project_id = project.id
    page = phone()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/coordination/projects/{project_id}")
    frame = page.locator(".diagram-frame")
    sizes = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
    assert sizes[0] > 3 * sizes[1]  # years of events: far wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    # The drawing's own style sheet applies under the security policy: setbacks are dashed.
    dashes = page.locator("#tl g.setback rect").first.evaluate("r => getComputedStyle(r).strokeDasharray")
    assert dashes.replace("px", "").replace(",", " ").split() == ["6", "3"]
    assert not [m for m in messages if "Content Security Policy" in m], messages
    # The table view does not widen the page either.
    page.goto(f"{live_server}/coordination/projects/{project_id}/table")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    screenshot(page, "timeline-phone")
