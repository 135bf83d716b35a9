from __future__ import annotations

from flask import Blueprint, render_template

from partenariat.blueprints.main import errors

bp = Blueprint("main", __name__)


@bp.record_once
def _register_error_pages(state) -> None:
    errors.init_app(state.app)


@bp.route("/")
def home():
    return render_template("index.html")
