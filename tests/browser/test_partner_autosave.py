"""On a phone, each click is saved at once: another browser opening the same link finds it,
and a failed save says so honestly, then succeeds on retry."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Draft
from tests.browser.conftest import screenshot


def stored(app) -> dict | None:
    with app.app_context():
        draft = db().scalar(select(Draft))
        return None if draft is None else draft.data["answers"]


def test_three_clicks_are_found_in_another_browser_in_the_chosen_language(app, live_server, phone, make_campaign):
    _cid, [token] = make_campaign(sector="municipal")
    link = f"{live_server}/r/{token}"
    page = phone()
    page.goto(f"{link}/conditions")
    with page.expect_navigation(url=f"{link}/conditions"):
        page.click("a[data-switch-lang=en]")
    assert page.locator("h1").inner_text() == "The six partnership conditions"

    chosen = {"C01": "A", "C05": "C", "C09": "NSP"}
    for code, value in chosen.items():
        page.click(f"label[for={code}-{['A', 'B', 'C', 'NSP'].index(value)}]")
        expect(page.locator(f"#{code}-cue")).to_have_text("Saved")
    assert page.locator("#save-status").inner_text() == "Every answer on this page is saved."
    assert page.locator("#save-status").get_attribute("aria-live") == "polite"
    assert page.locator("#progress-text").inner_text() == "3 of 36 questions answered"
    screenshot(page, "partner-autosave-phone")
    page.context.close()  # the tab is closed without pressing any button
    assert stored(app) == chosen

    other = phone()  # another browser: no cookie, no tab storage
    other.goto(link)
    assert other.evaluate("document.documentElement.lang") == "en"
    with other.expect_navigation(url=f"{link}/conditions#item-C02"):
        other.click("text=Pick up where I left off")  # at the top, above the introduction
    for code, value in chosen.items():
        assert other.is_checked(f"input[name={code}][value={value}]")
    assert other.locator("#progress-text").inner_text() == "3 of 36 questions answered"


def test_a_failed_save_says_so_and_succeeds_on_retry(app, live_server, phone, make_campaign):
    _cid, [token] = make_campaign(sector="municipal")
    page = phone()
    page.goto(f"{live_server}/r/{token}/conditions")
    failures = []

    def server_fails_twice(route):
        if len(failures) < 2:
            failures.append(route.request.url)
            route.fulfill(status=503, body="<h1>Partenariat ne peut pas joindre sa base de données</h1>",
                          content_type="text/html; charset=utf-8")
        else:
            route.continue_()

    page.route("**/answer", server_fails_twice)
    page.click("label[for=C03-1]")
    honest = "Pas encore enregistrée : gardée dans cet onglet, nouvel essai bientôt."
    expect(page.locator("#save-status")).to_have_text(honest)
    assert page.locator("#C03-cue").inner_text() == honest
    assert stored(app) is None
    # Kept in this tab meanwhile.
    assert page.evaluate("Object.values(sessionStorage)") == ['{"C03":"B"}']

    expect(page.locator("#C03-cue")).to_have_text("Enregistrée", timeout=15_000)
    assert len(failures) == 2
    assert page.locator("#save-status").inner_text() == "Toutes les réponses de cette page sont enregistrées."
    assert stored(app) == {"C03": "B"}
    assert page.evaluate("Object.keys(sessionStorage).length") == 0


def test_offline_clicks_wait_for_the_connection(app, live_server, phone, make_campaign):
    _cid, [token] = make_campaign(sector="municipal")
    page = phone()
    page.goto(f"{live_server}/r/{token}/conditions")
    page.context.set_offline(True)
    page.click("label[for=C02-0]")
    expect(page.locator("#save-status")).to_contain_text("Vous êtes hors ligne")
    assert stored(app) is None
    page.context.set_offline(False)
    expect(page.locator("#C02-cue")).to_have_text("Enregistrée")
    assert stored(app) == {"C02": "A"}


def test_switching_language_keeps_the_question_being_read(live_server, phone, make_campaign):
    _cid, [token] = make_campaign(sector="municipal")
    link = f"{live_server}/r/{token}/conditions"
    page = phone()
    page.goto(link)
    page.click("label[for=C07-1]")
    expect(page.locator("#C07-cue")).to_have_text("Enregistrée")
    page.evaluate("document.getElementById('item-C07').scrollIntoView()")
    with page.expect_navigation(url=f"{link}#item-C07"):
        # As a tap on the header would, without Playwright scrolling up to the link first.
        page.locator("a[data-switch-lang=en]").dispatch_event("click")
    assert page.locator("h1").inner_text() == "The six partnership conditions"
    assert abs(page.evaluate("document.getElementById('item-C07').getBoundingClientRect().top")) < 50
    assert page.is_checked("input[name=C07][value=B]")


def test_a_refused_click_says_why_and_stays_in_the_tab(app, live_server, phone, make_campaign):
    from partenariat.models import Campaign

    campaign_id, [token] = make_campaign(sector="municipal")
    page = phone()
    page.goto(f"{live_server}/r/{token}/conditions")
    with app.app_context():  # the coordinator closes the questionnaire while the page is open
        db().get(Campaign, campaign_id).status = "closed"
        db().commit()
    page.click("label[for=C04-2]")
    expect(page.locator("#save-status")).to_have_text("Ce questionnaire est fermé")
    assert page.locator("#C04-cue").inner_text() == "Cette réponse n'a pas pu être enregistrée."
    assert page.evaluate("Object.values(sessionStorage)") == ['{"C04":"C"}']
    assert stored(app) is None
