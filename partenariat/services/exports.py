"""Every export, made in one place for the pages and the command line alike.

Each function reads what its export needs, hands plain data to ``exports`` and records
the download in the audit log; it only adds and flushes (the request or the command
commits). Radar charts are not logged: they are the pictures of pages that are not logged
either, drawn again at every view.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from partenariat.models import Campaign, User
from partenariat.services import audit, charts, funding
from partenariat.services import plan as plans
from partenariat.services import portrait as portraits
from questionnaires import load_instrument


class ExportError(ValueError):
    """An export that cannot be made; the message is for the user, in their language."""


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise ExportError(_("No campaign has the id %(id)s.", id=campaign_id))
    return campaign


def portrait_json(session: Session, campaign_id: int) -> dict:
    """The scored portrait as a JSON-ready dict (README.md and docs/portrait-json.md)."""
    from exports.portrait_json import as_dict

    campaign = _campaign(session, campaign_id)
    data = as_dict(portraits.build(session, campaign))
    audit.record(session, "export_json", campaign_id=campaign.id)
    session.flush()
    return data


def coordinator_workbook(session: Session, campaign_id: int, lang: str) -> bytes:
    """The coordinator's XLSX workbook of one campaign, in ``lang``."""
    from exports.coordinator_workbook import build

    campaign = _campaign(session, campaign_id)
    data = build(portraits.build(session, campaign), portraits.individual_answers(session, campaign),
                 portraits.controversy_rows(session, campaign), lang, plan=plans.plan_export(session, campaign.id))
    audit.record(session, "export_xlsx", campaign_id=campaign.id, lang=lang)
    session.flush()
    return data


def radar(session: Session, campaign_ids: list[int], dimension: str, lang: str, fmt: str,
          by_sector: bool = False) -> bytes:
    """A radar (PNG or SVG) of campaigns of one partnership, a polygon per campaign in year
    order — or, ``by_sector``, per sector group that the anonymity rules let through.

    Raises ExportError when a campaign is missing or below its k, when the campaigns belong
    to different partnerships, or when no sector group can be drawn."""
    from exports.portrait_charts import series_label

    if dimension not in charts.DIMENSIONS or fmt not in charts.FORMATS or not campaign_ids:
        raise ValueError(f"a radar needs campaigns, a dimension in {charts.DIMENSIONS} and a format in {charts.FORMATS}")
    campaigns = [_campaign(session, campaign_id) for campaign_id in campaign_ids]
    if len({c.partnership_id for c in campaigns}) > 1:
        raise ExportError(_("Only campaigns of the same partnership can be compared."))
    built = [portraits.build(session, c, portrait_only=not by_sector)
             for c in sorted(campaigns, key=lambda c: (c.year, c.id))]
    hidden = [str(b.campaign.id) for b in built if b.portrait.suppressed]
    if hidden:
        raise ExportError(_("No chart: campaign %(ids)s has fewer submitted responses than its anonymity threshold k.",
                            ids=", ".join(hidden)))
    instrument = built[-1].instrument
    if by_sector:
        # Groups hidden by the anonymity rules are simply not drawn.
        series = [(instrument.sectors[g.code].get(lang), g.portrait) for b in built for g in b.groups if g.portrait]
        if not series:
            raise ExportError(_("No sector group reaches the anonymity threshold k: there is nothing to draw by sector."))
    else:
        series = [(series_label(b.campaign), b.portrait) for b in built]
    return charts.chart_bytes(instrument, series, dimension, lang, fmt, built[0].campaign.partnership.name)


def funder_workbook(session: Session, user_id: int | None, k_funder: int, lang: str, year: int | None = None,
                    region: str | None = None) -> bytes:
    """The funder workbook of the campaigns shared with account ``user_id`` (None: the
    command line, every shared campaign)."""
    from exports.funder_workbook import build

    user = None
    if user_id is not None:
        user = session.get(User, user_id)
        if user is None:  # never "no account, so no restriction"
            raise ExportError(_("No account has the id %(id)s.", id=user_id))
    allowed = funding.scope(session, user)
    data = build(funding.rows(session, allowed, k_funder, year, region), load_instrument(), lang, k_funder, year)
    audit.record(session, "funder_export", year=year, region=region, lang=lang,
                 partnerships="all" if allowed is None else sorted(allowed))
    session.flush()
    return data


PLAN_FORMATS = ("json", "xlsx")


def plan_file(session: Session, campaign_id: int, fmt: str, lang: str) -> bytes:
    """The campaign's retreat and action plan as JSON or XLSX (docs/plan.md); logged."""
    import json

    from exports import plan_json, plan_sheet

    if fmt not in PLAN_FORMATS:
        raise ExportError(_("The output file must end in %(formats)s.", formats=", ".join(f".{f}" for f in PLAN_FORMATS)))
    campaign = _campaign(session, campaign_id)
    data = plans.plan_export(session, campaign.id)
    if fmt == "json":
        out = json.dumps(plan_json.as_dict(data), ensure_ascii=False, indent=2).encode("utf-8")
    else:
        out = plan_sheet.build(data, lang)
    audit.record(session, "export_plan", campaign_id=campaign.id, format=fmt)
    session.flush()
    return out
