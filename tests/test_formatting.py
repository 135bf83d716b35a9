"""One rounding for every number a person reads: pages, JSON and workbooks agree (SPEC §4)."""

from __future__ import annotations

import io
import re
from fractions import Fraction

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from partenariat.database import db
from partenariat.formatting import one_decimal_text
from partenariat.models import Answer, Response
from partenariat.services.campaign import create_campaign
from partenariat.services.releases import make_release
from tests.conftest import login

# Four responses. C01: A, A, B, C → (2+2+1+0)/4 = 5/4 → 62.5; C02: B, B, B, B → 50.
# COND1 = mean(C01, C02) = (62.5 + 50) / 2 = 56.25 exactly: half up gives 56.3, whereas
# "%.1f" (half to even on the float 56.25, which binary holds exactly) gives 56.2.
ANSWERS = [{"C01": "A", "C02": "B"}, {"C01": "A", "C02": "B"}, {"C01": "B", "C02": "B"}, {"C01": "C", "C02": "B"}]


@pytest.fixture
def half_way(app, accounts):
    with app.app_context():
        campaign = create_campaign(db(), partnership_name="Table A", year=2026, status="open", k=3)
        for answers in ANSWERS:
            db().add(Response(campaign_id=campaign.id, sector="communautaire", lang="fr", source="import",
                              answers=[Answer(item_code=code, value=value) for code, value in answers.items()]))
        db().flush()
        make_release(db(), campaign)
        db().commit()
        return campaign.id


def cond1_cell(html: str) -> str:
    row = re.search(r"<th scope=\"row\">COND1 · .*?</tr>", html, re.S).group(0)
    return re.findall(r"<td>(.*?)</td>", row)[0]


def test_a_half_rounds_up_alike_on_the_page_in_json_and_in_the_workbook(client, half_way):
    login(client, "coord@example.org")
    html = client.get(f"/coordination/campaigns/{half_way}/portrait").get_data(as_text=True)
    assert cond1_cell(html) == "56,3"  # French decimal comma
    data = client.get(f"/coordination/campaigns/{half_way}/portrait.json").get_json()
    dims = {d["code"]: d for d in data["dimensions"]}
    assert dims["COND1"]["score"] == 56.3 and dims["COND1"]["gap"] == 43.8  # 43.75 → 43.8
    workbook = load_workbook(io.BytesIO(client.get(f"/coordination/campaigns/{half_way}/workbook.xlsx?lang=fr").data))
    summary = {row[0].value: row for row in workbook["Synthèse"].iter_rows()}
    assert summary["COND1"][3].value == 56.3
    english = client.get(f"/coordination/campaigns/{half_way}/portrait?lang=en").get_data(as_text=True)
    assert cond1_cell(english) == "56.3"


@pytest.mark.parametrize(("value", "lang", "signed", "expected"), [
    (Fraction(225, 4), "fr", False, "56,3"),
    (Fraction(225, 4), "en", False, "56.3"),
    (None, "fr", False, "—"),
    (Fraction(-225, 4), "fr", False, "-56,2"),  # half up, towards +∞, as one_decimal does
    (100, "en", False, "100.0"),
    (Fraction(1, 20), "fr", True, "+0,1"),
    (Fraction(-3, 2), "en", True, "-1.5"),
    (Fraction(-1, 100), "en", True, "+0.0"),  # rounds to zero: no "-0.0"
])
def test_one_decimal_text(app, value, lang, signed, expected):
    with app.test_request_context(), force_locale(lang):
        assert one_decimal_text(value, signed=signed) == expected
