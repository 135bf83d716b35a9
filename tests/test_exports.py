"""export-json, radar and export-xlsx: the same numbers as the scoring, in every output."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from openpyxl.chart import RadarChart

from partenariat.database import db
from partenariat.models import Campaign, ControversyReport, Partnership
from questionnaires import load_instrument
from tests.factories import imported_campaign

ITEMS = load_instrument().item_codes


@pytest.fixture(autouse=True)
def english_cli(monkeypatch):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")


def run(runner, *args):
    return runner.invoke(args=[str(a) for a in args], catch_exceptions=False)




# Five respondents; the arithmetic of each expected number is written next to it.
FIVE = [
    ("communautaire", {"C01": "A", "C02": "C", "K2_1": "A", "CV1": "A"}),
    ("communautaire", {"C01": "A", "C02": "C", "K2_1": "A", "CV1": "C"}),
    ("communautaire", {"C01": "B", "C02": "B", "K2_1": "A", "CV1": "NSP"}),
    ("institutionnel", {"C01": "C", "C02": "C", "K2_1": "B", "CV1": "B"}),
    ("institutionnel", {"C01": "NSP", "C02": "A", "K2_1": "A"}),
]


def export_json(runner, tmp_path, campaign_id):
    out = tmp_path / f"portrait-{campaign_id}.json"
    result = run(runner, "export-json", campaign_id, out)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_json_portrait_has_the_spec_keys_and_hand_computed_numbers(runner, tmp_path):
    campaign_id = imported_campaign(runner, tmp_path, FIVE)
    data = export_json(runner, tmp_path, campaign_id)
    assert {"partnership", "campaign", "n_invited", "n_submitted", "items", "dimensions", "rt", "domains",
            "agenda", "controversies", "groups"} <= set(data)
    assert data["campaign"] == {"id": campaign_id, "year": 2026, "title": "Portrait 2026",
                                "instrument_version": "2026.1", "k": 3, "status": "open", "focus": 6}
    assert (data["n_invited"], data["n_submitted"], data["suppressed"]) == (0, 5, False)
    items = {i["code"]: i for i in data["items"]}
    # C01: A, A, B, C (+1 NSP) → (2+2+1+0)/4 = 5/4 → 62.5
    assert items["C01"]["counts"] == {"A": 2, "B": 1, "C": 1, "NSP": 1}
    assert (items["C01"]["n_valid"], items["C01"]["score"], items["C01"]["gap"]) == (4, 62.5, 37.5)
    # C01 flags: 4·A = 8 ≥ 4 and 4·C = 4 ≥ 4 → divergent; 3·C = 3 < 4 and C not most frequent.
    assert items["C01"]["flags"] == ["divergent"]
    # C02: C, C, B, C, A → (0+0+1+0+2)/5 = 3/5 → 30; 3·3 ≥ 5 → weak
    assert (items["C02"]["score"], items["C02"]["flags"]) == (30.0, ["faible"])
    # K2_1: A A A B A → 9/5 → 90; 3·4 = 12 ≥ 10, no C → strong
    assert (items["K2_1"]["score"], items["K2_1"]["flags"]) == (90.0, ["force"])
    # CV1: A, C, B (2 blank/NSP) → 3/3 → 50; weak (3·1 ≥ 3) and divergent
    assert (items["CV1"]["score"], items["CV1"]["flags"]) == (50.0, ["faible", "divergent"])
    assert items["C03"]["score"] is None and items["C03"]["counts"]["NSP"] == 5
    dims = {d["code"]: d for d in data["dimensions"]}
    # COND1 = mean(62.5, 30) = 46.25 → 46.3 (one decimal, half up); band a_travailler
    assert (dims["COND1"]["score"], dims["COND1"]["gap"], dims["COND1"]["band"]) == (46.3, 53.8, "a_travailler")
    assert dims["COND1"]["counts"] == {"A": 3, "B": 2, "C": 4, "NSP": 1}
    assert dims["KEY2"]["score"] == 90.0 and dims["KEY2"]["band"] == "force" and dims["KEY2"]["kind"] == "key"
    rts = {r["code"]: r for r in data["rt"]}
    # RT01 = (.5·62.5 + .5·30 + 1·90) / 2 = 136.25 / 2 = 68.125 → 68.1
    assert rts["RT01"]["score"] == 68.1 and rts["RT01"]["domain"] == "D1"
    domains = {d["code"]: d for d in data["domains"]}
    # D1 = mean(RT01 68.125, RT03 50) = 59.0625 → 59.1, a_consolider
    assert (domains["D1"]["score"], domains["D1"]["band"]) == (59.1, "a_consolider")
    # Agenda: weak C02 (30) then CV1 (50); divergent C01; strong K2_1.
    assert data["agenda"] == ["C02", "CV1", "C01", "K2_1"]
    # Focus (6 points at most): C02 opens COND1, CV1 opens CLIM, C01 joins COND1.
    # COND1's RT: C02 RT01 .5, RT08 .5; C01 RT01 .5, RT11 .5 → RT01 1, RT08 .5, RT11 .5.
    # Key: KEY2 (K2_1 RT01 1) 1·1 = 1; KEY5 (K5_2 RT08 1) .5; KEY4 (K4_3 RT11 .5) .25 → KEY2.
    # CLIM: CV1 → RT03 1; KEY2 (K2_2 1, K2_3 .5) 1.5 beats KEY4 (K4_2 .5) → KEY2.
    assert data["focus"] == [
        {"dimension": "COND1", "items": ["C02", "C01"], "flags": ["faible", "divergent"],
         "rt": ["RT01", "RT08", "RT11"], "key": "KEY2"},
        {"dimension": "CLIM", "items": ["CV1"], "flags": ["faible", "divergent"], "rt": ["RT03"], "key": "KEY2"},
    ]
    # Groups: institutionnel has 2 < 3 → hidden; the only other group (communautaire, 3)
    # is hidden too, or it would give institutionnel away by subtraction.
    groups = {g["sector"]: g for g in data["groups"]}
    assert set(groups) == {"communautaire", "institutionnel"}
    assert groups["institutionnel"] == {"sector": "institutionnel", "n": None, "suppressed": True, "reason": "below_k",
                                        "dimensions": None, "rt": None, "domains": None}
    assert groups["communautaire"]["suppressed"] and groups["communautaire"]["reason"] == "complementary"


def test_json_groups_shown_when_both_reach_k(runner, tmp_path):
    rows = FIVE + [("institutionnel", {"C01": "A"})]
    data = export_json(runner, tmp_path, imported_campaign(runner, tmp_path, rows))
    groups = {g["sector"]: g for g in data["groups"]}
    # institutionnel: C01 C, NSP, A → (0+2)/2 = 1 → 50; COND1 = mean(50, C02: C, A → 50) = 50
    assert groups["institutionnel"]["n"] == 3 and not groups["institutionnel"]["suppressed"]
    assert groups["institutionnel"]["dimensions"]["COND1"] == 50.0
    # communautaire: C01 A A B → 5/3 → 83.3…; C02 C C B → 1/3 → 16.6…; COND1 = 50
    assert groups["communautaire"]["dimensions"]["COND1"] == 50.0


def test_json_below_k_is_all_null(runner, tmp_path, app):
    campaign_id = imported_campaign(runner, tmp_path, FIVE[:2], k=3)
    with app.app_context():
        db().add(ControversyReport(campaign_id=campaign_id, title="Secret", description="x", nature="vision",
                                   status="ouverte", means=[], effect="bloque"))
        db().commit()
    data = export_json(runner, tmp_path, campaign_id)
    # Below k no release can be made: nothing is counted, nothing is shown.
    assert data["suppressed"] is True and data["n_submitted"] == 0 and data["release"] is None
    assert all(i["score"] is None and i["counts"] is None and i["flags"] == [] for i in data["items"])
    assert all(d["score"] is None and d["band"] is None for d in data["dimensions"] + data["domains"])
    assert all(r["score"] is None for r in data["rt"])
    assert data["agenda"] == [] and data["focus"] == [] and data["controversies"]["entries"] == []
    assert all(g["suppressed"] for g in data["groups"])
    assert "Secret" not in json.dumps(data)


def test_json_controversies_carry_no_free_text(runner, tmp_path, app):
    campaign_id = imported_campaign(runner, tmp_path, FIVE)
    with app.app_context():
        # As if it had come with the release's responses.
        db().add(ControversyReport(campaign_id=campaign_id, title="Budget de la cuisine", description="Les détails",
                                   nature="ressources", status="ouverte", means=["deliberation"], effect="ralentit",
                                   release_number=1))
        db().commit()
    data = export_json(runner, tmp_path, campaign_id)
    assert data["controversies"]["status_counts"]["ouverte"] == 1
    assert data["controversies"]["entries"][0]["means"] == ["deliberation"]
    text = json.dumps(data, ensure_ascii=False)
    assert "Budget de la cuisine" not in text and "Les détails" not in text


def test_radar_png_and_svg_are_deterministic_and_labelled(runner, tmp_path):
    first = imported_campaign(runner, tmp_path, FIVE, year=2025)
    second = imported_campaign(runner, tmp_path, FIVE[::-1] + [("municipal", {"C01": "A"})], year=2026)
    png = tmp_path / "r.png"
    assert run(runner, "radar", second, png, "--compare", first).exit_code == 0
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert run(runner, "radar", second, png, "--compare", first).exit_code == 0
    assert png.read_bytes() == data
    svg = tmp_path / "r.svg"
    assert run(runner, "radar", second, svg, "--dimension", "rt", "--lang", "fr").exit_code == 0
    text = svg.read_text()
    assert "Création de réseaux" in text or "Création" in text
    assert run(runner, "radar", second, svg, "--dimension", "rt", "--lang", "fr").exit_code == 0
    assert svg.read_text() == text
    assert run(runner, "radar", second, svg, "--dimension", "keys", "--lang", "en").exit_code == 0
    assert "Working with power" in svg.read_text()


def test_radar_by_sector_draws_only_groups_that_reach_k(runner, tmp_path):
    both = imported_campaign(runner, tmp_path, FIVE + [("institutionnel", {"C01": "A"})])
    svg = tmp_path / "s.svg"
    assert run(runner, "radar", both, svg, "--by-sector", "--lang", "en").exit_code == 0
    text = svg.read_text()
    assert "Community organisation" in text and "Institutional" in text
    hidden = imported_campaign(runner, tmp_path, FIVE)  # institutionnel 2 < k, communautaire hidden too
    result = run(runner, "radar", hidden, svg, "--by-sector")
    assert result.exit_code == 1 and "nothing to draw by sector" in result.output


def test_radar_refuses_what_it_cannot_draw(runner, tmp_path):
    small = imported_campaign(runner, tmp_path, FIVE[:2])
    result = run(runner, "radar", small, tmp_path / "r.png")
    assert result.exit_code == 1 and "fewer submitted responses" in result.output
    assert not (tmp_path / "r.png").exists()
    result = run(runner, "radar", small, tmp_path / "r.gif")
    assert result.exit_code == 1 and ".png or .svg" in result.output
    other = imported_campaign(runner, tmp_path, FIVE, partnership="Autre table")
    mine = imported_campaign(runner, tmp_path, FIVE)
    result = run(runner, "radar", mine, tmp_path / "r.png", "--compare", other)
    assert result.exit_code == 1 and "same partnership" in result.output


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_workbook_carries_the_json_numbers_native_radars_and_safe_text(runner, tmp_path, app, lang):
    campaign_id = imported_campaign(runner, tmp_path, FIVE + [("institutionnel", {"C01": "A"})])
    with app.app_context():
        campaign = db().get(Campaign, campaign_id)
        db().get(Partnership, campaign.partnership_id).name = '=HYPERLINK("http://evil.example","x")'
        campaign.title = "+cmd|' /C calc'!A0"
        db().add(ControversyReport(campaign_id=campaign_id, title="@SUM(1)", description="-2+3",
                                   nature="vision", status="ouverte", means=[], effect="bloque", release_number=1))
        db().commit()
    data = export_json(runner, tmp_path, campaign_id)
    out = tmp_path / f"w-{lang}.xlsx"
    assert run(runner, "export-xlsx", campaign_id, out, "--lang", lang).exit_code == 0
    workbook = load_workbook(out)
    names = {"fr": ["Synthèse", "Énoncés", "RT", "Ordre du jour", "Groupes", "Réponses individuelles",
                    "Controverses", "Dictionnaire de données", "Plan d'action"],
             "en": ["Summary", "Items", "RT", "Retreat agenda", "Groups", "Individual answers", "Controversies",
                    "Data dictionary", "Action plan"]}[lang]
    assert workbook.sheetnames == names
    summary = workbook[names[0]]
    charts = summary._charts
    assert len(charts) == 3 and all(isinstance(c, RadarChart) for c in charts)
    cells = {row[0].value: row for row in summary.iter_rows()}
    assert cells["Partenariat" if lang == "fr" else "Partnership"][1].value.startswith("=HYPERLINK")
    assert cells["Partenariat" if lang == "fr" else "Partnership"][1].data_type == "s"
    assert cells["Campagne" if lang == "fr" else "Campaign"][1].data_type == "s"
    for dimension in data["dimensions"]:
        assert cells[dimension["code"]][3].value == dimension["score"]
    items_sheet = workbook[names[1]]
    rows = {row[0].value: row for row in items_sheet.iter_rows(min_row=2)}
    for item in data["items"]:
        assert rows[item["code"]][11].value == item["score"]
        assert rows[item["code"]][3].value == item["n_valid"]
    assert items_sheet.freeze_panes == "A2"
    agenda = [(row[0].value, row[1].value) for row in workbook[names[3]].iter_rows(min_row=2)]
    # The pack's split: each focus point's items together, then the annex and strengths;
    # the order column keeps the full agenda's rank.
    focus_items = [code for point in data["focus"] for code in point["items"]]
    rest = [code for code in data["agenda"] if code not in focus_items]
    assert [code for _rank, code in agenda] == focus_items + rest
    assert sorted(agenda) == list(enumerate(data["agenda"], start=1))
    answers = list(workbook[names[5]].iter_rows(min_row=2, values_only=True))
    assert sorted(row[0] for row in answers) == ["R001", "R002", "R003", "R004", "R005", "R006"]
    controversies = list(workbook[names[6]].iter_rows(min_row=2))
    assert controversies[0][1].value == "@SUM(1)" and controversies[0][1].data_type == "s"
    assert controversies[0][2].value == "-2+3" and controversies[0][2].data_type == "s"
    dictionary = " ".join(str(c.value) for row in workbook[names[7]].iter_rows() for c in row if c.value)
    assert "2026.1" in dictionary and ("proposition de Partenariat" in dictionary or "Partenariat's proposal" in dictionary)


def test_individual_answers_are_the_answers_alone(runner, tmp_path):
    """The only municipal partner and the only English answer must not stand out: no sector,
    no language, pseudonyms R001… and nothing else."""
    rows = FIVE + [("municipal", {"C01": "A"})]
    campaign_id = imported_campaign(runner, tmp_path, rows)
    out = tmp_path / "w.xlsx"
    assert run(runner, "export-xlsx", campaign_id, out, "--lang", "en").exit_code == 0
    sheet = load_workbook(out)["Individual answers"]
    header, *lines = list(sheet.iter_rows(values_only=True))
    assert list(header) == ["Pseudonym", *ITEMS]
    assert sorted(line[0] for line in lines) == [f"R{n:03d}" for n in range(1, 7)]
    answered = sorted(tuple(v or "" for v in line[1:]) for line in lines)
    assert answered == sorted(tuple(a.get(code, "") for code in ITEMS) for _sector, a in rows)


def test_workbook_below_k_shows_no_answers(runner, tmp_path):
    campaign_id = imported_campaign(runner, tmp_path, FIVE[:2])
    out = tmp_path / "w.xlsx"
    assert run(runner, "export-xlsx", campaign_id, out, "--lang", "en").exit_code == 0
    workbook = load_workbook(out)
    assert workbook["Individual answers"]["A2"].value.startswith("Fewer than 3 responses")
    assert workbook["Individual answers"].max_row == 2
    assert len(workbook["Summary"]._charts) == 0
