from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from partenariat.auth import roles_required
from partenariat.blueprints.downloads import attachment
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.services import funding
from partenariat.services.chart_cache import cached
from questionnaires import LANGUAGES, load_instrument

bp = Blueprint("funder", __name__, url_prefix="/funder")
FUNDERS = ("funder", "admin")


def _filters():
    year = request.args.get("year", type=int)
    region = request.args.get("region") or None
    return year, region


def _view(year, region):
    allowed = funding.scope(db(), current_user)
    rows = list(funding.rows(db(), allowed, current_app.config["K_FUNDER"], year, region))
    summary = funding.Summary()
    for row in rows:
        summary.add(row)
    everything = funding.shared_campaigns(db(), allowed)  # for the filters: every year and region
    regions = sorted({r[5] for r in everything if r[5]})
    years = sorted({r[1] for r in everything})
    return rows, summary, regions, years


@bp.route("/")
@roles_required(*FUNDERS)
def dashboard():
    year, region = _filters()
    rows, summary, regions, years = _view(year, region)
    instrument = load_instrument()
    return render_template("funder/dashboard.html", rows=rows, summary=summary, regions=regions, years=years,
                           year=year, region=region, instrument=instrument, codes=funding.codes(instrument),
                           lang=current_lang(), k_funder=current_app.config["K_FUNDER"])


@bp.route("/medians.svg")
@roles_required(*FUNDERS)
def medians_chart():
    from exports import radar

    year, region = _filters()
    _rows, summary, _regions, _years = _view(year, region)
    instrument, lang = load_instrument(), current_lang()
    dims = list(instrument.dimensions)
    series = []
    for y in summary.years():
        values = [summary.table(y, code) for code in dims]
        series.append(radar.Series(_("median %(year)s", year=y), [v.median if v else None for v in values]))
    labels = [instrument.dimensions[c].name.get(lang) for c in dims]

    def render():
        with force_locale(lang):
            return radar.render(labels, series, "svg", title=_("Median portrait per year"), wrap=18)

    key = ["funder-medians", lang, labels, [(s.label, [str(v) for v in s.values]) for s in series]]
    return Response(cached(current_app.config["CHART_CACHE_DIR"], key, render), mimetype="image/svg+xml")


@bp.route("/workbook.xlsx")
@roles_required(*FUNDERS)
def workbook():
    year, region = _filters()
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else current_lang()
    data = funding.workbook(db(), current_user, current_app.config["K_FUNDER"], lang, year, region)
    return attachment(data, f"funder-{year or 'all'}-{lang}.xlsx")
