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
from partenariat.roles import Permission
from partenariat.scoring import compare as compare_portraits
from partenariat.scoring.retreat import discussion_points
from partenariat.services import exports
from partenariat.services import portrait as portraits
from partenariat.services.charts import DIMENSIONS
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


@lru_cache(maxsize=64)
def _portrait_body(database: str, fingerprint: tuple, lang: str) -> str:
    """The portrait's content, rendered once per state of the campaign's data.

    The fingerprint (services.portrait.fingerprint) holds everything the content depends
    on, read from the database on every view, so a stale body is never served. Per worker,
    and correct in every worker: nothing is shared but the database."""
    result = portraits.build(db(), db().get(Campaign, fingerprint[0]))
    return render_template("portrait/_portrait_body.html", result=result, campaign=result.campaign, lang=lang,
                           instrument=result.instrument, p=result.portrait, dimensions=DIMENSIONS)


@bp.route("/campaigns/<int:campaign_id>/portrait")
def portrait():
    body = _portrait_body(current_app.config["DATABASE_URL"], portraits.fingerprint(db(), g.campaign), current_lang())
    return render_template("portrait/portrait.html", campaign=g.campaign, body=Markup(body))


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


@bp.route("/campaigns/<int:campaign_id>/retreat-pack")
def retreat_pack():
    result = portraits.build(db(), g.campaign)
    points = [] if result.portrait.suppressed else discussion_points(result.instrument, result.portrait, result.campaign.focus)
    return render_template("portrait/retreat_pack.html", result=result, campaign=result.campaign, lang=current_lang(),
                           instrument=result.instrument, p=result.portrait, points=points, dimensions=DIMENSIONS)


def _campaigns_of(partnership_id: int, ids: set[int] | None = None) -> list[Campaign]:
    query = select(Campaign).where(Campaign.partnership_id == partnership_id)
    if ids is not None:
        query = query.where(Campaign.id.in_(ids))
    return list(db().scalars(query.order_by(Campaign.year, Campaign.id)))


def _chosen_ids() -> set[int]:
    return {int(v) for v in request.args.getlist("campaign") if v.isdigit()}


@bp.route("/partnerships/<int:partnership_id>/compare")
def compare():
    campaigns = _campaigns_of(g.partnership.id)
    chosen_ids = _chosen_ids() or {c.id for c in campaigns[-2:]}
    built = [portraits.build(db(), c, portrait_only=True) for c in campaigns if c.id in chosen_ids]
    shown = [b for b in built if not b.portrait.suppressed]
    comparison = None
    if len(shown) >= 2:
        first, last = shown[0], shown[-1]
        comparison = compare_portraits(
            (first.instrument, first.counts, first.portrait.n_submitted, first.campaign.k),
            (last.instrument, last.counts, last.portrait.n_submitted, last.campaign.k),
        )
    return render_template("portrait/compare.html", partnership=g.partnership, campaigns=campaigns, chosen=built,
                           shown=shown, comparison=comparison, lang=current_lang(), dimensions=DIMENSIONS,
                           instrument=(shown[-1].instrument if shown else load_instrument()))


@bp.route("/partnerships/<int:partnership_id>/compare/<dimension>.<fmt>")
def compare_chart(dimension: str, fmt: str):
    ids = [c.id for c in _campaigns_of(g.partnership.id, _chosen_ids())]
    return _image(_radar(ids, dimension, fmt), fmt)
