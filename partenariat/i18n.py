"""Language choice: French first, English on request, remembered for the session."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale

from questionnaires import LANGUAGES


def select_locale() -> str:
    if not has_request_context():  # CLI and services: the caller forces a locale if it cares
        return "fr"
    asked = request.args.get("lang") or request.form.get("switch_lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    # A partner's link opens in the language the coordinator chose for them.
    return g.get("preferred_lang") or "fr"


def current_lang() -> str:
    return str(get_locale())


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    from partenariat.roles import Permission
    from partenariat.statuses import label

    app.jinja_env.globals.update(current_lang=current_lang, LANGUAGES=LANGUAGES, label=label, Permission=Permission)
