"""Language choice: French first, English on request, remembered for the session."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale

from questionnaires import LANGUAGES


def asked_language() -> str | None:
    asked = request.args.get("lang") or request.form.get("switch_lang")
    return asked if asked in LANGUAGES else None


def offered_languages() -> tuple[str, ...]:
    """The languages this page may use: a partner's link offers its campaign's languages."""
    return g.get("link_languages") or LANGUAGES


def select_locale() -> str:
    if not has_request_context():  # CLI and services: the caller forces a locale if it cares
        return "fr"
    offered = offered_languages()
    asked = asked_language()
    if "link_languages" in g:
        # A partner's page: the language belongs to the link (kept on the invitation by the
        # respond blueprint), not to this browser's session.
        for choice in (asked, g.get("preferred_lang")):
            if choice in offered:
                return choice
        return offered[0]
    if asked:
        session["lang"] = asked
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return "fr"


def current_lang() -> str:
    return str(get_locale())


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    from partenariat.roles import Permission
    from partenariat.statuses import label

    app.jinja_env.globals.update(current_lang=current_lang, LANGUAGES=LANGUAGES, label=label, Permission=Permission,
                                 offered_languages=offered_languages)
