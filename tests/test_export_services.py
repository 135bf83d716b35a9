"""services.exports: one way in for every export — audited, flushed not committed, refusals
in the user's language — and the exports themselves work on plain data alone."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from exports import coordinator_workbook, portrait_json
from partenariat.database import db
from partenariat.models import Answer, AuditEntry, Campaign, Response
from partenariat.results import CampaignInfo, PartnershipInfo
from partenariat.services import exports
from partenariat.services import portrait as portraits
from partenariat.services.campaign import create_campaign
from partenariat.services.releases import make_release
from questionnaires import load_instrument

ITEMS = load_instrument().item_codes


def campaign(session, partnership="Table A", n=3, value="A", year=2026):
    made = create_campaign(session, partnership_name=partnership, year=year, status="open", k=3)
    for _ in range(n):
        session.add(Response(campaign_id=made.id, sector="communautaire", lang="fr", source="import",
                             answers=[Answer(item_code=code, value=value) for code in ITEMS]))
    session.flush()
    if n >= made.k:
        make_release(session, made)
    session.commit()
    return made.id


def actions(session) -> list[tuple[str, int | None]]:
    return [(e.action, e.detail.get("campaign_id")) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_downloads_are_audited_and_only_flushed(app):
    with app.test_request_context():
        session = db()
        campaign_id = campaign(session)
        data = exports.portrait_json(session, campaign_id)
        assert data["dimensions"][0]["score"] == 100.0  # all A
        workbook = exports.coordinator_workbook(session, campaign_id, "en")
        assert workbook.startswith(b"PK")  # a zip: XLSX
        exports.funder_workbook(session, None, 5, "fr")
        assert actions(session) == [("export_json", campaign_id), ("export_xlsx", campaign_id), ("funder_export", None)]
        session.rollback()  # nothing was committed: the caller's commit decides
        assert actions(session) == []


def test_radar_refusals_are_clear_and_translated(app):
    with app.test_request_context():
        session = db()
        small = campaign(session, n=2)
        mine = campaign(session, year=2025)
        other = campaign(session, partnership="Table B")
        with force_locale("fr"), pytest.raises(exports.ExportError, match="moins de réponses envoyées"):
            exports.radar(session, [small], "conditions", "fr", "svg")
        with force_locale("en"), pytest.raises(exports.ExportError, match="same partnership"):
            exports.radar(session, [mine, other], "conditions", "en", "svg")
        with force_locale("en"), pytest.raises(exports.ExportError, match="No campaign has the id 999999"):
            exports.radar(session, [999999], "conditions", "en", "svg")
        assert exports.radar(session, [mine], "keys", "en", "svg").startswith(b"<?xml")
        assert actions(session) == []  # charts are pictures of pages, not logged


def test_an_unknown_account_never_gets_every_campaign(app):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(exports.ExportError, match="No account has the id 424242"):
            exports.funder_workbook(db(), 424242, 5, "en")


def test_exports_need_no_database_once_the_portrait_is_built(app):
    with app.app_context():
        session = db()
        campaign_id = campaign(session)
        orm = session.get(Campaign, campaign_id)
        result = portraits.build(session, orm)
        answers = portraits.individual_answers(session, orm)
        rows = portraits.controversy_rows(session, orm)
        assert isinstance(result.campaign, CampaignInfo) and isinstance(result.campaign.partnership, PartnershipInfo)
        session.close()  # any lazy load from here on would fail
        data = portrait_json.as_dict(result)
        assert data["partnership"]["name"] == "Table A" and data["campaign"]["id"] == campaign_id
        assert coordinator_workbook.build(result, answers, rows, "fr").startswith(b"PK")
