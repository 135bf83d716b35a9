"""A coordinator's year in Chromium (SPEC §9): from the campaign's agenda to the retreat,
the group's reading of a point, an action and its status; next year, the new portrait shows
what moved on the action's targets, and the unfinished action is carried forward.

Hand-computed: in 2025 four responses answer C to C02 (score 0, weak: the one discussion
point); in 2026 four answer A (score 100). Every other item is B (50) both years, so the
dimension of C02 (COND1: C01 and C02) goes from (50 + 0) / 2 = 25 to (50 + 100) / 2 = 75.
"""

from __future__ import annotations

import pytest

from partenariat.database import db
from partenariat.statuses import CampaignStatus
from questionnaires import load_instrument
from tests.factories import campaign, committed, release, responses

INSTRUMENT = load_instrument()
ITEMS = list(INSTRUMENT.items)


def year_of_answers(session, year: int, c02: str, status=CampaignStatus.OPEN) -> int:
    made = campaign(session, "Table A", year, status=status, title=f"Portrait {year}")
    responses(session, made, 4, answers=dict.fromkeys(ITEMS, "B") | {"C02": c02})
    release(session, made)
    return made.id


@pytest.fixture
def last_year(app, accounts):
    return committed(app, lambda session: year_of_answers(session, 2025, "C"))


def sign_in(browser, base: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", "coord@example.org")
    page.fill("input[name=password]", "correct horse battery")
    page.click("form.narrow button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_from_the_agenda_to_next_years_movement(app, last_year, live_server, browser):
    assert INSTRUMENT.dimensions["COND1"].items == ("C01", "C02")
    context, page = sign_in(browser, live_server)

    # The agenda: the portrait names C02 as the point to discuss.
    page.goto(f"{live_server}/coordination/campaigns/{last_year}/portrait?lang=fr")
    assert "C02" in page.locator(".agenda-item").first.inner_text()

    # The campaign page leads to the retreat, which opens on release 1.
    page.goto(f"{live_server}/coordination/campaigns/{last_year}")
    page.get_by_role("link", name="Lac-à-l'épaule et plan d'action").click()
    page.get_by_role("button", name="Ouvrir le lac-à-l'épaule").click()
    assert page.get_by_text("Ce lac-à-l'épaule lit la diffusion 1 de la campagne.").is_visible()
    point = page.locator(".agenda-item").first
    assert "A 0 · B 0 · C 4 · ? 0" in point.inner_text()

    # The group's reading of the point: B, with its reasons and a dissent.
    point.get_by_label("B", exact=True).check()
    point.get_by_label("Raisons").fill("Les informations circulent mal entre les réunions")
    point.get_by_label("Désaccords notés").fill("La Ville lit plutôt A")
    point.get_by_label("À travailler").check()
    point.get_by_role("button", name="Enregistrer la lecture du point 1").click()
    point = page.locator(".agenda-item").first
    assert point.get_by_role("status").inner_text() == "La lecture du groupe est enregistrée."
    assert point.get_by_label("Raisons").input_value() == "Les informations circulent mal entre les réunions"
    assert point.get_by_label("B", exact=True).is_checked()

    # An action on C02 and its dimension; a title left empty first keeps the rest typed.
    page.get_by_role("link", name="Ajouter une action").click()
    page.get_by_label("Portée par (une organisation ou un rôle)").fill("CDC des Érables")
    for value in ("item:C02", "dimension:COND1"):  # tick boxes: each click adds a target
        page.locator(f'input[name="action-targets"][value="{value}"]').check()
    page.get_by_role("button", name="Ajouter l'action").click()
    assert page.get_by_text("Donnez un titre à l'action.").is_visible()
    assert page.get_by_label("Portée par (une organisation ou un rôle)").input_value() == "CDC des Érables"
    page.get_by_label("Action", exact=True).fill("Un compte rendu partagé après chaque réunion")
    page.get_by_role("button", name="Ajouter l'action").click()
    actions = page.locator("#actions ~ table")
    assert "Un compte rendu partagé après chaque réunion" in actions.inner_text()
    assert "prévue, pas commencée" in actions.inner_text()

    # It starts: a status change with a dated note.
    page.get_by_role("link", name="Un compte rendu partagé après chaque réunion").click()
    page.get_by_label("Nouveau statut").select_option("en_cours")
    page.get_by_label("Note (ce qui s'est passé)").fill("Premier compte rendu envoyé")
    page.locator("#status-noted_on").fill("2025-10-02")
    page.get_by_role("button", name="Changer le statut").click()
    assert "Premier compte rendu envoyé" in page.locator("ol.history").inner_text()

    # The minutes print in French with the reading and the action.
    page.goto(f"{live_server}/coordination/campaigns/{last_year}/retreat/minutes")
    minutes = page.locator("main").inner_text()
    assert "Les informations circulent mal entre les réunions" in minutes and "CDC des Érables" in minutes
    assert page.locator("[data-print]").is_visible()

    # Next year: the partners answer again (four A on C02) and a release is made.
    this_year = committed(app, lambda session: year_of_answers(session, 2026, "A"))
    page.goto(f"{live_server}/coordination/campaigns/{this_year}/portrait?lang=fr")
    section = page.locator("section.last-year")
    assert "Un compte rendu partagé après chaque réunion" in section.inner_text()
    rows = section.locator("tbody tr")
    c02 = rows.filter(has_text=INSTRUMENT.items["C02"].statement.fr)
    assert [c02.locator("td").nth(i).inner_text() for i in range(3)] == ["0,0", "100,0", "+100,0"]
    cond1 = rows.filter(has_text=INSTRUMENT.dimensions["COND1"].name.fr)
    assert [cond1.locator("td").nth(i).inner_text() for i in range(3)] == ["25,0", "75,0", "+50,0"]

    # The unfinished action is carried into this year's retreat, with its history.
    page.goto(f"{live_server}/coordination/campaigns/{this_year}/retreat")
    page.get_by_role("button", name="Ouvrir le lac-à-l'épaule").click()
    page.get_by_label("Un compte rendu partagé après chaque réunion").check()
    page.get_by_role("button", name="Reporter", exact=True).click()
    assert "reportée de 2025" in page.locator("#actions ~ table").inner_text()
    context.close()
    with app.app_context():
        from partenariat.services import plan

        (carried,) = plan.retreat_view(db(), this_year).actions
        assert carried.carried_from[0].year == 2025
