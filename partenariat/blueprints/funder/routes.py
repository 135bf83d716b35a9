"""The funder's dashboard, its radar of medians and the workbook download."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user

from partenariat import access
from partenariat.blueprints.downloads import attachment
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.roles import Permission
from partenariat.services import charts, exports, funding
from questionnaires import LANGUAGES, load_instrument

bp = Blueprint("funder", __name__, url_prefix="/funder")
access.guard(bp, Permission.READ_FUNDER_DATA)


def _filters():
    year = request.args.get("year", type=int)
    region = request.args.get("region") or None
    return year, region


def _rows(year, region, allowed):
    return list(funding.rows(db(), allowed, current_app.config["K_FUNDER"], year, region))


@bp.route("/")
def dashboard():
    year, region = _filters()
    allowed = funding.scope(db(), current_user)
    rows = _rows(year, region, allowed)
    everything = funding.shared_campaigns(db(), allowed)  # for the filters: every year and region
    instrument = load_instrument()
    return render_template("funder/dashboard.html", rows=rows, summary=funding.summary(rows),
                           regions=sorted({r[5] for r in everything if r[5]}), years=sorted({r[1] for r in everything}),
                           year=year, region=region, instrument=instrument, codes=funding.codes(instrument),
                           lang=current_lang(), k_funder=current_app.config["K_FUNDER"])


@bp.route("/medians.svg")
def medians_chart():
    year, region = _filters()
    summary = funding.summary(_rows(year, region, funding.scope(db(), current_user)))
    return Response(charts.funder_medians(summary, load_instrument(), current_lang()), mimetype="image/svg+xml")


@bp.route("/workbook.xlsx")
def workbook():
    year, region = _filters()
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else current_lang()
    data = exports.funder_workbook(db(), current_user.id, current_app.config["K_FUNDER"], lang, year, region)
    return attachment(data, f"funder-{year or 'all'}-{lang}.xlsx")
