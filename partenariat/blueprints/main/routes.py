from __future__ import annotations

from flask import Blueprint, render_template

from partenariat.blueprints.main import errors
from partenariat.i18n import current_lang
from questionnaires import load_instrument

bp = Blueprint("main", __name__)


@bp.record_once
def _register_error_pages(state) -> None:
    errors.init_app(state.app)


@bp.route("/")
def home():
    return render_template("index.html")


@bp.route("/methodology")
def methodology():
    return render_template("methodology.html", instrument=load_instrument(), lang=current_lang())


@bp.route("/health")
def health():
    """For load balancers and the benchmark's hello-world baseline: no database, no template."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
