"""The retreat pack printed by Chromium on the demo partnership: a length a day can use
(at most 6 A4 pages), with its print button working and the retreat mode moving by keys."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Campaign
from partenariat.services import demo, register

A4_PAGES_AT_MOST = 6


@pytest.fixture
def demo_campaign(app):
    """The demo's middle year (16 responses, with the year before it to compare), with an
    entry of the controversy register."""
    with app.app_context():
        links = demo.seed(db())
        current = db().get(Campaign, links.campaign_id)
        middle = db().scalar(select(Campaign).where(Campaign.partnership_id == current.partnership_id,
                                                    Campaign.year == current.year - 1))
        entry = register.add(db(), middle.partnership_id, register.Fields(
            "Partage du financement", "Qui porte la demande commune ?", "ressources", ["deliberation"], "ralentit"))
        register.update(db(), entry, register.Fields(entry.title, entry.description, entry.nature, entry.means,
                                                     entry.effect), {middle.id: "en_traitement"})
        db().commit()
        return middle.id


def signed_in_page(browser, base):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    email, password, _role = demo.DEMO_ACCOUNTS[1]
    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form.narrow button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_the_demo_retreat_pack_prints_on_at_most_six_a4_pages(demo_campaign, live_server, browser):
    context, page = signed_in_page(browser, live_server)
    page.goto(f"{live_server}/coordination/campaigns/{demo_campaign}/retreat-pack?lang=fr", wait_until="networkidle")
    # What the pack must hold: focused points, the annex, the register and the year before.
    assert page.locator(".agenda-item").count() >= 1
    assert page.get_by_text("Partage du financement").count() == 1
    assert page.get_by_role("heading", name="Ce qui a changé depuis l'an dernier").count() == 1
    assert page.locator("table.compact caption").first.inner_text().startswith("De Portrait annuel")
    # The print button is there once the script runs (it is hidden without scripts).
    assert page.locator("[data-print]").is_visible()
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    context.close()
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 1 <= pages <= A4_PAGES_AT_MOST, f"the retreat pack prints on {pages} A4 pages"


def test_retreat_mode_moves_one_screen_at_a_time_by_keyboard_and_buttons(demo_campaign, live_server, browser):
    context, page = signed_in_page(browser, live_server)
    page.goto(f"{live_server}/coordination/campaigns/{demo_campaign}/retreat-mode?lang=fr", wait_until="networkidle")
    visible = page.locator(".screen:visible")
    assert visible.count() == 1 and visible.first.get_attribute("id") == "screen-0"
    page.keyboard.press("ArrowRight")
    assert page.locator(".screen:visible").first.get_attribute("id") == "screen-1"
    assert page.locator(".screen:visible img").get_attribute("alt") == "Les six conditions du partenariat"
    page.locator(".screen:visible [data-step='1']").click()
    assert page.locator(".screen:visible").first.get_attribute("id") == "screen-2"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.locator(".screen:visible").first.get_attribute("id") == "screen-0"
    page.keyboard.press("End")
    last = page.locator(".screen:visible").first
    assert last.locator("[data-step='1']").count() == 0 and last.locator("[data-step='-1']").count() == 1
    # Projector type: the body text is large at a 1280 px wide screen.
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 24
    context.close()
