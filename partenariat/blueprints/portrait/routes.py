"""Portrait pages and downloads. The guard loads the campaign or partnership of the URL
(404 for another partnership's) before any view runs."""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Blueprint, Response, abort, current_app, g, render_template, request
from markupsafe import Markup
from sqlalchemy import select

from partenariat import access
from partenariat.blueprints.downloads import attachment
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Campaign
from partenariat.plan.model import MOVEMENT_REASONS, RetreatMethod
from partenariat.results import CampaignPortrait
from partenariat.roles import Permission
from partenariat.scoring.retreat import retreat_agenda
from partenariat.scoring.years import YearTable, counts_differ_a_lot, year_table
from partenariat.services import exports, plan
from partenariat.services import portrait as portraits
from partenariat.services.charts import DIMENSIONS, chart_title
from partenariat.statuses import CampaignStatus
from partenariat.validation import record_id
from questionnaires import LANGUAGES, load_instrument

bp = Blueprint("portrait", __name__, url_prefix="/coordination")
access.guard(bp, Permission.COORDINATE)
MIMETYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def _image(data: bytes, fmt: str, filename: str | None = None) -> Response:
    headers = {"Cache-Control": "private, max-age=300"}
    if filename:
        headers["Content-Disposition"] = f"attachment; filename={filename}"
    return Response(data, mimetype=MIMETYPES[fmt], headers=headers)


def _radar(campaign_ids: list[int], dimension: str, fmt: str) -> bytes:
    """The chart's bytes; 404 for an unknown chart or one the anonymity rules forbid."""
    if dimension not in DIMENSIONS or fmt not in MIMETYPES or not campaign_ids:
        abort(404)
    try:
        return exports.radar(db(), campaign_ids, dimension, current_lang(), fmt)
    except exports.ExportError:
        abort(404)


def _workbook_lang() -> str:
    return request.args.get("lang") if request.args.get("lang") in LANGUAGES else current_lang()


def _chart_titles(lang: str) -> dict[str, str]:
    """Each radar's title, also the alt text of its image."""
    return {d: chart_title(d, lang) for d in DIMENSIONS}


def _split(result: CampaignPortrait):
    return retreat_agenda(result.instrument, result.portrait, result.campaign.focus)


@lru_cache(maxsize=64)
def _portrait_body(database: str, fingerprint: tuple, lang: str, focus: int) -> str:
    """The portrait's content, rendered once per state of the campaign's data.

    The fingerprint (services.portrait.fingerprint) holds everything the content depends
    on, read from the database on every view, so a stale body is never served. Per worker,
    and correct in every worker: nothing is shared but the database."""
    result = portraits.build(db(), db().get(Campaign, fingerprint[0]))
    return render_template("portrait/_portrait_body.html", result=result, campaign=result.campaign, lang=lang,
                           instrument=result.instrument, p=result.portrait, dimensions=DIMENSIONS,
                           split=_split(result), chart_titles=_chart_titles(lang))


def _plan_context() -> dict:
    """The retreat record beside the portrait (SPEC §9): last year's actions and what moved,
    and in method 1 the group's collective reading, labelled as such (never a score)."""
    view = plan.retreat_view(db(), g.campaign.id)
    return dict(last_year=plan.last_year(db(), g.campaign.id), movement_reasons=MOVEMENT_REASONS,
                plan_instrument=load_instrument(g.campaign.instrument_version),
                collective=view if view is not None and view.method == RetreatMethod.CONSENSUS else None)


@bp.route("/campaigns/<int:campaign_id>/portrait")
def portrait():
    # The focus is a campaign setting the fingerprint does not hold: it is part of the key.
    body = _portrait_body(current_app.config["DATABASE_URL"], portraits.fingerprint(db(), g.campaign), current_lang(),
                          g.campaign.focus)
    return render_template("portrait/portrait.html", campaign=g.campaign, body=Markup(body), lang=current_lang(),
                           **_plan_context())


@bp.route("/campaigns/<int:campaign_id>/charts/<dimension>.<fmt>")
def chart(dimension: str, fmt: str):
    data = _radar([g.campaign.id], dimension, fmt)
    filename = f"radar-{g.campaign.id}-{dimension}.{fmt}" if request.args.get("download") else None
    return _image(data, fmt, filename)


@bp.route("/campaigns/<int:campaign_id>/portrait.json")
def portrait_json():
    data = exports.portrait_json(db(), g.campaign.id)
    return attachment(json.dumps(data, ensure_ascii=False, indent=2), f"portrait-{g.campaign.id}.json", "application/json")


@bp.route("/campaigns/<int:campaign_id>/workbook.xlsx")
def workbook():
    lang = _workbook_lang()
    return attachment(exports.coordinator_workbook(db(), g.campaign.id, lang), f"portrait-{g.campaign.id}-{lang}.xlsx")


def _previous(campaign: Campaign) -> Campaign | None:
    """The partnership's campaign just before this one (by year, then creation order)."""
    earlier = [c for c in _campaigns_of(campaign.partnership_id) if (c.year, c.id) < (campaign.year, campaign.id)]
    return earlier[-1] if earlier else None


def _sides(built: list[CampaignPortrait]):
    return [(b.instrument, b.counts, b.portrait.n_submitted, b.campaign.k) for b in built]


def _since_last_year(result: CampaignPortrait) -> tuple[CampaignPortrait, YearTable] | None:
    """This campaign beside the previous one, when both are shown (enough responses)."""
    previous = _previous(g.campaign)
    if previous is None or result.portrait.suppressed:
        return None
    before = portraits.build(db(), previous, portrait_only=True)
    if before.portrait.suppressed:
        return None
    return before, year_table(_sides([before, result]))


def _retreat_context() -> dict:
    """What the retreat pack and the retreat mode show, from one reading."""
    result = portraits.build(db(), g.campaign)
    shown = not result.portrait.suppressed
    # The register's entries only: partners' reports are unreviewed free text.
    register = [r for r in portraits.controversy_rows(db(), g.campaign) if r.source == "register"] if shown else []
    lang = current_lang()
    return dict(result=result, campaign=result.campaign, lang=lang, instrument=result.instrument, p=result.portrait,
                split=_split(result), dimensions=DIMENSIONS, chart_titles=_chart_titles(lang), register=register,
                since=_since_last_year(result) if shown else None, **_plan_context())


@bp.route("/campaigns/<int:campaign_id>/retreat-pack")
def retreat_pack():
    return render_template("portrait/retreat_pack.html", **_retreat_context())


@bp.route("/campaigns/<int:campaign_id>/retreat-mode")
def retreat_mode():
    return render_template("portrait/retreat_mode.html", **_retreat_context())


def _campaigns_of(partnership_id: int, ids: set[int] | None = None) -> list[Campaign]:
    query = select(Campaign).where(Campaign.partnership_id == partnership_id)
    if ids is not None:
        query = query.where(Campaign.id.in_(ids))
    return list(db().scalars(query.order_by(Campaign.year, Campaign.id)))


def _chosen_ids() -> set[int]:
    return {number for number in map(record_id, request.args.getlist("campaign")) if number is not None}


@bp.route("/partnerships/<int:partnership_id>/compare")
def compare():
    campaigns = _campaigns_of(g.partnership.id)
    chosen_ids = _chosen_ids() or {c.id for c in campaigns[-2:]}
    built = [portraits.build(db(), c, portrait_only=True) for c in campaigns if c.id in chosen_ids]
    shown = [b for b in built if not b.portrait.suppressed]
    table = year_table(_sides(shown)) if len(shown) >= 2 else None
    cautions = {
        "open": [b.campaign for b in shown if b.campaign.status == CampaignStatus.OPEN],
        "counts": counts_differ_a_lot([b.portrait.n_submitted for b in shown]) if table else False,
    }
    lang = current_lang()
    return render_template("portrait/compare.html", partnership=g.partnership, campaigns=campaigns, chosen=built,
                           shown=shown, table=table, cautions=cautions, lang=lang, dimensions=DIMENSIONS,
                           chart_titles=_chart_titles(lang),
                           instrument=(shown[-1].instrument if shown else load_instrument()))


@bp.route("/partnerships/<int:partnership_id>/compare/<dimension>.<fmt>")
def compare_chart(dimension: str, fmt: str):
    ids = [c.id for c in _campaigns_of(g.partnership.id, _chosen_ids())]
    filename = f"radar-compare-{'-'.join(map(str, ids))}-{dimension}.{fmt}" if request.args.get("download") else None
    return _image(_radar(ids, dimension, fmt), fmt, filename)
