"""Portrait pages and downloads. Every view checks the campaign's partnership first."""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import select

from partenariat.auth import campaign_or_404, partnership_or_404, roles_required
from partenariat.blueprints.downloads import attachment
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Campaign
from partenariat.scoring import compare as compare_portraits
from partenariat.scoring.retreat import discussion_points
from partenariat.services import portrait as portraits
from partenariat.services.chart_cache import cached
from questionnaires import LANGUAGES, load_instrument

bp = Blueprint("portrait", __name__, url_prefix="/coordination")
COORDINATION = ("admin", "coordinator")
DIMENSIONS = ("conditions", "keys", "domains", "rt")
MIMETYPES = {"png": "image/png", "svg": "image/svg+xml"}


def chart_bytes(instrument, series, dimension: str, lang: str, fmt: str, title: str) -> bytes:
    """A radar from the on-disk cache, keyed by everything that is drawn."""
    from exports.portrait_charts import axes, chart, values

    codes = [code for code, _label in axes(instrument, dimension, lang)]
    key = [instrument.version, dimension, lang, fmt, title,
           [(label, [str(v) for v in values(portrait, dimension, codes)]) for label, portrait in series]]

    def render():
        with force_locale(lang):
            return chart(instrument, series, dimension, lang, fmt, title=title)

    return cached(current_app.config["CHART_CACHE_DIR"], key, render)


def _image(data: bytes, fmt: str, filename: str | None = None) -> Response:
    headers = {"Cache-Control": "private, max-age=300"}
    if filename:
        headers["Content-Disposition"] = f"attachment; filename={filename}"
    return Response(data, mimetype=MIMETYPES[fmt], headers=headers)


@lru_cache(maxsize=64)
def _portrait_body(database: str, fingerprint: tuple, lang: str) -> str:
    """The portrait's content, rendered once per state of the campaign's data.

    The fingerprint (services.portrait.fingerprint) holds everything the content depends
    on, read from the database on every view, so a stale body is never served. Per worker,
    and correct in every worker: nothing is shared but the database."""
    campaign = db().get(Campaign, fingerprint[0])
    result = portraits.build(db(), campaign)
    return render_template("portrait/_portrait_body.html", result=result, campaign=campaign, lang=lang,
                           instrument=result.instrument, p=result.portrait, dimensions=DIMENSIONS)


@bp.route("/campaigns/<int:campaign_id>/portrait")
@roles_required(*COORDINATION)
def portrait(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    body = _portrait_body(current_app.config["DATABASE_URL"], portraits.fingerprint(db(), campaign), current_lang())
    return render_template("portrait/portrait.html", campaign=campaign, body=Markup(body))


@bp.route("/campaigns/<int:campaign_id>/charts/<dimension>.<fmt>")
@roles_required(*COORDINATION)
def chart(campaign_id: int, dimension: str, fmt: str):
    campaign = campaign_or_404(campaign_id)
    if dimension not in DIMENSIONS or fmt not in MIMETYPES:
        abort(404)
    result = portraits.build(db(), campaign, portrait_only=True)
    if result.portrait.suppressed:
        abort(404)
    lang = current_lang()
    data = chart_bytes(result.instrument, [(campaign.title, result.portrait)], dimension, lang, fmt,
                       campaign.partnership.name)
    filename = f"radar-{campaign.id}-{dimension}.{fmt}" if request.args.get("download") else None
    return _image(data, fmt, filename)


@bp.route("/campaigns/<int:campaign_id>/portrait.json")
@roles_required(*COORDINATION)
def portrait_json(campaign_id: int):
    from exports.portrait_json import as_dict

    result = portraits.build(db(), campaign_or_404(campaign_id))
    return attachment(json.dumps(as_dict(result), ensure_ascii=False, indent=2), f"portrait-{campaign_id}.json",
                      "application/json")


@bp.route("/campaigns/<int:campaign_id>/workbook.xlsx")
@roles_required(*COORDINATION)
def workbook(campaign_id: int):
    from exports.coordinator_workbook import build

    campaign = campaign_or_404(campaign_id)
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else current_lang()
    data = build(portraits.build(db(), campaign), portraits.individual_answers(db(), campaign),
                 portraits.controversy_rows(db(), campaign), lang)
    return attachment(data, f"portrait-{campaign.id}-{lang}.xlsx")


@bp.route("/campaigns/<int:campaign_id>/retreat-pack")
@roles_required(*COORDINATION)
def retreat_pack(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    result = portraits.build(db(), campaign)
    points = [] if result.portrait.suppressed else discussion_points(result.instrument, result.portrait)
    return render_template("portrait/retreat_pack.html", result=result, campaign=campaign, lang=current_lang(),
                           instrument=result.instrument, p=result.portrait, points=points, dimensions=DIMENSIONS)


@bp.route("/partnerships/<int:partnership_id>/compare")
@roles_required(*COORDINATION)
def compare(partnership_id: int):
    partnership = partnership_or_404(partnership_id)
    campaigns = db().scalars(select(Campaign).where(Campaign.partnership_id == partnership.id)
                             .order_by(Campaign.year, Campaign.id)).all()
    chosen_ids = {int(v) for v in request.args.getlist("campaign") if v.isdigit()}
    if not chosen_ids:
        chosen_ids = {c.id for c in campaigns[-2:]}
    chosen = [c for c in campaigns if c.id in chosen_ids]
    built = [portraits.build(db(), c, portrait_only=True) for c in chosen]
    shown = [b for b in built if not b.portrait.suppressed]
    comparison = None
    if len(shown) >= 2:
        first, last = shown[0], shown[-1]
        comparison = compare_portraits(
            (first.instrument, first.counts, first.portrait.n_submitted, first.campaign.k),
            (last.instrument, last.counts, last.portrait.n_submitted, last.campaign.k),
        )
    return render_template("portrait/compare.html", partnership=partnership, campaigns=campaigns, chosen=built,
                           shown=shown, comparison=comparison, lang=current_lang(), dimensions=DIMENSIONS,
                           instrument=(shown[-1].instrument if shown else load_instrument()))


@bp.route("/partnerships/<int:partnership_id>/compare/<dimension>.<fmt>")
@roles_required(*COORDINATION)
def compare_chart(partnership_id: int, dimension: str, fmt: str):
    from exports.portrait_charts import series_label

    partnership = partnership_or_404(partnership_id)
    if dimension not in DIMENSIONS or fmt not in MIMETYPES:
        abort(404)
    ids = [int(v) for v in request.args.getlist("campaign") if v.isdigit()]
    chosen = db().scalars(select(Campaign).where(Campaign.partnership_id == partnership.id, Campaign.id.in_(ids))
                          .order_by(Campaign.year, Campaign.id)).all()
    built = [b for b in (portraits.build(db(), c, portrait_only=True) for c in chosen) if not b.portrait.suppressed]
    if not built:
        abort(404)
    lang = current_lang()
    data = chart_bytes(built[-1].instrument, [(series_label(b.campaign), b.portrait) for b in built],
                       dimension, lang, fmt, partnership.name)
    return _image(data, fmt)
