"""The retreat on pages: the focus and its annex on the portrait page and in the pack, the
retreat mode's screens, the register and the changes since last year in the pack, years side
by side in the comparison, the focus field of the campaign form, the funder's lone partnership.
Hand-computed; the arithmetic is in the comments."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Campaign, ControversyReport
from partenariat.services import register
from partenariat.statuses import CampaignStatus
from questionnaires import load_instrument
from tests.conftest import csrf_token, login
from tests.factories import campaign, campaign_with_responses, committed, release, responses

ITEMS = list(load_instrument().items)


def retreat_campaign(session, year=2026, focus=1):
    """Six responses: C02 all C (0, weak), C04 three A and three C (50, weak and divergent),
    K2_1 all A (100, strong), every other item B (50, no flag)."""
    made = campaign(session, "Table A", year, focus=focus)
    base = dict.fromkeys(ITEMS, "B") | {"C02": "C", "K2_1": "A"}
    responses(session, made, 3, answers=base | {"C04": "A"})
    responses(session, made, 3, answers=base | {"C04": "C"})
    release(session, made)
    return made


@pytest.fixture
def retreat(app, accounts):
    def build(session):
        before = campaign(session, "Table A", 2025, status=CampaignStatus.CLOSED)
        responses(session, before, 4, value="B")  # every score 50
        release(session, before)
        made = retreat_campaign(session)
        entry = register.add(session, made.partnership_id, register.Fields(
            "Partage du local", "Qui paie le loyer ?", "ressources", ["deliberation"], "ralentit"))
        register.update(session, entry, register.Fields(entry.title, entry.description, entry.nature, entry.means,
                                                        entry.effect), {made.id: "en_traitement"})
        session.add(ControversyReport(campaign_id=made.id, title="Rapport non revu", description="Texte libre",
                                      nature="vision", status="ouverte", means=[], effect="aucun"))
        return made.id

    return committed(app, build)


def test_portrait_page_focuses_and_keeps_the_rest_in_an_annex(client, retreat):
    login(client, "coord@example.org")
    html = client.get(f"/coordination/campaigns/{retreat}/portrait").get_data(as_text=True)
    # Agenda: C02 (weak, 0), C04 (weak, 50), then K2_1 (strong). focus = 1: C02 alone is discussed.
    assert "Point 1 · Couverture des perspectives sur la question" in html
    assert "Point 2" not in html
    annex = html[html.index("À voir aussi"):html.index("Forces sur lesquelles bâtir")]
    assert "C04" in annex and "C02" not in annex
    assert "K2_1" in html[html.index("Forces sur lesquelles bâtir"):]
    # C02 feeds RT01 (.5) and RT08 (.5): KEY2 (K2_1 → RT01, 1) gives .5, KEY5 (K5_2 → RT08, 1)
    # gives .5: a tie, so the first key, KEY2, with its own question — and only that one.
    point = html[html.index("Point 1 ·"):html.index("À voir aussi")]
    assert "La clé qui agit le plus sur eux :</strong> Travailler avec des logiques d&#39;action différentes" in point
    assert "Quelles contraintes de nos organisations" in point
    assert "Qui pèse le plus dans nos décisions" not in point  # KEY1's question is not repeated here
    # Charts are named by what they show, in French, and offered as PNG and PDF.
    assert 'alt="Les six conditions du partenariat"' in html and 'alt="conditions"' not in html
    assert f"/coordination/campaigns/{retreat}/charts/rt.pdf?download=1" in html


def test_a_chart_downloads_as_pdf_and_as_a_wide_png(client, retreat):
    login(client, "coord@example.org")
    pdf = client.get(f"/coordination/campaigns/{retreat}/charts/keys.pdf?download=1")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]
    png = client.get(f"/coordination/campaigns/{retreat}/charts/keys.png").data
    assert int.from_bytes(png[16:20], "big") >= 1600


def test_retreat_pack_has_print_button_register_and_changes_since_last_year(client, retreat):
    login(client, "coord@example.org")
    html = client.get(f"/coordination/campaigns/{retreat}/retreat-pack").get_data(as_text=True)
    assert "data-print" in html and "js/print.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline script (the CSP forbids it)"
    # The register's entry with its status at this campaign; the unreviewed report is absent.
    assert "Partage du local" in html and "En traitement" in html
    assert "Rapport non revu" not in html and "Texte libre" not in html and "Qui paie le loyer" not in html
    # Since 2025 (all B, 50 everywhere): COND1 = mean(C01 50, C02 0) = 25 → -25,0;
    # KEY2 = mean(K2_1 100, K2_2 50, K2_3 50) = 200/3 = 66,7 → +16,7.
    since = html[html.index("Ce qui a changé depuis l'an dernier"):]
    assert "-25,0" in since and "+16,7" in since
    assert 'alt="Les douze résultats transitoires (RT)"' in html and 'alt="rt"' not in html


def test_retreat_mode_has_one_anchored_screen_per_chart_and_point(client, retreat):
    login(client, "coord@example.org")
    html = client.get(f"/coordination/campaigns/{retreat}/retreat-mode").get_data(as_text=True)
    # Title, 4 charts, 1 discussion point, the annex, the changes: 8 screens.
    ids = re.findall(r'<section class="screen[^"]*" id="(screen-\d+)"', html)
    assert ids == [f"screen-{i}" for i in range(8)]
    # Without scripts each screen links to the next and the previous one.
    assert 'href="#screen-1"' in html and 'href="#screen-6"' in html and "Écran 8 sur 8" in html
    assert "js/retreat-mode.js" in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_three_ticked_years_give_three_columns_steps_and_cautions(app, client, accounts):
    first = campaign_with_responses(app, "Table A", 2024, n=4, status=CampaignStatus.CLOSED, value="B")
    second = campaign_with_responses(app, "Table A", 2025, n=5, status=CampaignStatus.OPEN, value="A")
    third = campaign_with_responses(app, "Table A", 2026, n=10, status=CampaignStatus.CLOSED, value="C")
    login(client, "coord@example.org")
    query = "&".join(f"campaign={c}" for c in (first, second, third))
    html = client.get(f"/coordination/partnerships/{accounts['Table A']}/compare?{query}").get_data(as_text=True)
    dimensions = html[html.index("<h2>Dimensions</h2>"):html.index("Domaines et résultats transitoires")]
    headers = re.findall(r'<th scope="col">([^<]*)</th>', dimensions)
    assert headers == ["Dimension", "2024", "2025", "2026", "Variation 2024 → 2025", "Variation 2025 → 2026",
                       "Variation 2024 → 2026"]
    # COND1 every year: 50 (all B), 100 (all A), 0 (all C); steps +50, -100; first → last -50.
    row = re.search(r"COND1 · [^<]*</th>(.*?)</tr>", dimensions, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells == ["50,0", "100,0", "0,0", "+50,0", "-100,0", "-50,0"]
    # 2025 is still open; 4 responses against 10 is under half.
    assert "Portrait 2025 est encore ouverte" in html
    assert "une année a moins de la moitié des réponses" in html
    # The comparison's charts download too, one polygon per ticked year.
    chart = client.get(f"/coordination/partnerships/{accounts['Table A']}/compare/conditions.pdf?{query}&download=1")
    assert chart.mimetype == "application/pdf" and "attachment" in chart.headers["Content-Disposition"]
    assert f"compare/conditions.pdf?download=1&amp;campaign={first}&amp;campaign={second}&amp;campaign={third}" in html


def test_two_years_keep_the_plain_change_column(app, client, accounts):
    first = campaign_with_responses(app, "Table A", 2024, n=4, status=CampaignStatus.CLOSED, value="B")
    second = campaign_with_responses(app, "Table A", 2025, n=5, status=CampaignStatus.CLOSED, value="A")
    login(client, "coord@example.org")
    html = client.get(f"/coordination/partnerships/{accounts['Table A']}/compare?campaign={first}&campaign={second}"
                      ).get_data(as_text=True)
    assert "À lire avec prudence" not in html  # both closed, 4 is not under half of 5
    dimensions = html[html.index("<h2>Dimensions</h2>"):html.index("Domaines et résultats transitoires")]
    assert re.findall(r'<th scope="col">([^<]*)</th>', dimensions) == ["Dimension", "2024", "2025", "Variation"]


def test_the_campaign_form_sets_the_focus_and_refuses_one_out_of_range(app, client, accounts):
    login(client, "coord@example.org")
    url = f"/coordination/partnerships/{accounts['Table A']}/campaigns/new"
    html = client.get(url).get_data(as_text=True)
    assert 'name="focus"' in html and 'value="6"' in html
    data = {"csrf_token": csrf_token(html), "year": "2027", "k": "3", "languages": ["fr"], "specific_project": "y",
            "bounded_in_time": "y", "resources": "y", "beyond_information": "y"}
    refused = client.post(url, data=data | {"focus": "13"})
    assert refused.status_code == 400 and "Inscrivez un nombre de 1 à 12." in refused.get_data(as_text=True)
    assert client.post(url, data=data | {"focus": "3"}).status_code == 302
    with app.app_context():
        assert db().scalar(select(Campaign.focus).where(Campaign.year == 2027)) == 3


def test_the_service_refuses_a_focus_out_of_range(app):
    from partenariat.services.campaign import CampaignError, create_campaign

    with app.app_context(), pytest.raises(CampaignError):
        create_campaign(db(), partnership_name="Table Z", year=2026, focus=0)


def test_funder_dashboard_shows_no_quartiles_for_one_partnership(app, client, accounts):
    from partenariat.services.funding import set_shared

    def build(session):
        made = campaign(session, "Table A", 2026, status=CampaignStatus.CLOSED)
        responses(session, made, 6, value="B")
        release(session, made)
        set_shared(session, made, True)

    committed(app, build)
    login(client, "funder@example.org")
    html = client.get("/funder/").get_data(as_text=True)
    table = html[html.index("<h3>2026</h3>"):]
    row = re.search(r"COND1 · [^<]*</th>(.*?)</tr>", table, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["1", "50,0", "—", "—"]
    assert "Un seul partenariat a des scores cette année" in html
