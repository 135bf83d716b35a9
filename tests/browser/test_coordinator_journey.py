"""A coordinator runs a whole campaign in Chromium: create, invite from a roster, three
partners answer, portrait, comparison with last year, retreat pack printed, workbook."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from questionnaires import load_instrument
from tests.browser.conftest import screenshot
from tests.factories import campaign_with_responses

ITEMS = load_instrument().item_codes


def answer_all(page, link, sector, choice):
    page.goto(link)
    page.select_option("select[name=sector]", sector)
    page.locator("form.start-form button[type=submit]").click()
    for _section in ("conditions", "keys", "controversies"):
        names = page.eval_on_selector_all("input[type=radio][data-item]", "els => [...new Set(els.map(e => e.name))]")
        for name in names:
            page.check(f"input[name={name}][value={choice}]")
        page.locator(".actions button.primary").click()
    page.check("input[name=confirm]")
    page.locator(".submit-form button.primary").click()
    assert "Merci" in page.locator("h1").inner_text()


def test_coordinator_runs_a_campaign(app, accounts, live_server, browser, tmp_path):
    campaign_with_responses(app, "Table A", 2025, n=3, status="closed", value="B")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server}/account/login")
    page.fill("input[name=email]", "coord@example.org")
    page.fill("input[name=password]", "correct horse battery")
    page.click("form.narrow button[type=submit]")
    assert page.locator("h1").inner_text() == "Mes partenariats"

    page.click("text=Nouvelle campagne")
    page.fill("input[name=year]", "2026")
    for name in ("specific_project", "bounded_in_time", "resources", "beyond_information"):
        page.check(f"input[name={name}]")
    page.click("text=Créer la campagne")
    assert "La campagne est créée" in page.locator(".flash-success").inner_text()
    campaign_url = page.url

    roster = tmp_path / "partenaires.csv"
    roster.write_text("label,email,sector,language\nCDC,,communautaire,fr\nCIUSSS,,institutionnel,fr\nVille,,municipal,fr\n")
    page.click("text=Importer une liste de partenaires")
    page.set_input_files("input[name=roster-file]", str(roster))
    page.click("text=Importer et afficher les liens")
    links = re.findall(r"http://\S+/r/\S+", page.input_value(".links textarea"))
    assert len(links) == 3
    page.click("text=Ouvrir aux réponses")
    assert "La campagne est ouverte" in page.locator(".flash-success").inner_text()

    for link, sector, choice in zip(links, ["communautaire", "institutionnel", "municipal"], ["A", "A", "B"], strict=True):
        partner = browser.new_context().new_page()
        answer_all(partner, link, sector, choice)
        partner.context.close()

    page.goto(campaign_url)
    assert "3" in page.locator(".card .stat").nth(2).inner_text()
    assert "3 réponses attendent la prochaine diffusion" in page.locator("#release").inner_text()
    page.click("text=Faire une diffusion")
    assert "Diffusion 1 faite" in page.locator(".flash-success").inner_text()
    page.click("text=Lire le portrait")
    page.wait_for_load_state("networkidle")
    widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
    assert len(widths) == 4 and all(w > 0 for w in widths)
    # A, A, B on every item: (2+2+1)/3 · 50 = 83,3 (French decimal comma) → strength
    assert "83,3" in page.content()
    screenshot(page, "coordinator-portrait")

    with page.expect_download() as download:
        page.click("text=Classeur Excel (anglais)")
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert workbook.sheetnames[0] == "Summary" and len(workbook["Summary"]._charts) == 3

    page.click("text=Trousse du lac-à-l'épaule (impression)")
    page.wait_for_load_state("networkidle")
    assert "Trousse du lac-à-l'épaule" in page.locator("h1").inner_text()
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000

    page.emulate_media(media="screen")
    page.goto(f"{live_server}/coordination/")
    page.click("text=Comparer les années")
    page.wait_for_load_state("networkidle")
    # 2025 all B (50) → 2026 83,3: +33,3 on every dimension.
    assert "+33,3" in page.content()
    assert all(w > 0 for w in page.eval_on_selector_all(".charts img", "els => els.map(e => e.naturalWidth)"))

    # Another partnership's campaign, reached by editing the id in the address: refused.
    other = campaign_with_responses(app, "Table B", 2026, n=3)
    response = page.goto(f"{live_server}/coordination/campaigns/{other}/portrait")
    assert response.status == 404
    context.close()
