"""Error pages in both languages, so that whoever lands on them can read them."""

from __future__ import annotations

import logging

from flask import g, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError

from questionnaires import LANGUAGES

log = logging.getLogger(__name__)


def bilingual_page(title, body, status: int):
    """Render ``title`` and ``body`` (lazy strings) once per language, French first."""
    versions = []
    for lang in LANGUAGES:
        with force_locale(lang):
            versions.append({"lang": lang, "title": str(title), "body": str(body), "home": str(_l("Home page"))})
    return render_template("errors/bilingual.html", versions=versions, status=status), status


def bilingual_text(text) -> str:
    """``text`` (a lazy string) in each language, French first: "Français / English"."""
    versions = []
    for lang in LANGUAGES:
        with force_locale(lang):
            versions.append(str(text))
    return " / ".join(versions)


GENERIC = {
    400: (_l("The request could not be understood"), _l("Something in the page you sent was not valid. Go back and try again.")),
    403: (_l("Access refused"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("This address does not lead to any page of Partenariat.")),
    405: (_l("Action not allowed"), _l("This page cannot be used this way. Go back and use the buttons on the page.")),
    413: (_l("The file or form is too large"), _l("What you sent is larger than Partenariat accepts. Nothing was saved; try a smaller file.")),
    500: (_l("Something went wrong on our side"), _l("Nothing you had saved before was lost. Try again in a moment; if it keeps happening, tell the coordinator.")),
}


DATABASE_DOWN = (
    _l("Partenariat cannot reach its database"),
    _l("Nothing was saved this time, and nothing saved before was lost. Your answers are kept in this browser: go back, wait a minute, and press Save again."),
)


def init_app(app) -> None:
    def handler(error):
        code = getattr(error, "code", 500) or 500
        title, body = GENERIC.get(code, GENERIC[500])
        return bilingual_page(title, body, code)

    def database_down(error):
        log.error("database unavailable: %s", str(getattr(error, "orig", error)).splitlines()[0])
        # The session may be unusable; drop it so teardown does not touch the database.
        g.pop("db_session", None)
        response, status = bilingual_page(*DATABASE_DOWN, 503)
        return response, status, {"Retry-After": "60"}

    for code in GENERIC:
        app.register_error_handler(code, handler)
    app.register_error_handler(OperationalError, database_down)
    app.register_error_handler(InterfaceError, database_down)
