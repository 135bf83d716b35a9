"""Partenariat application factory: ``flask --app app run`` / ``gunicorn 'app:create_app()'``."""

from __future__ import annotations

import gc

# Python's cycle collector would walk, again and again while the imports below run, every
# object they create (modules, classes, mapped tables, instruments: all kept for the life of
# the process), about a tenth of start-up (T4). It is paused while they load, and what they
# left is then frozen out of its sight: the pattern Python's documentation of gc.freeze()
# gives for servers whose workers are forked. (Cycles left by the imports, a few hundred
# objects, stay in memory.)
_collecting = gc.isenabled()
gc.disable()

from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from partenariat import auth, cli, database, formatting, i18n, logs, routing, security
from partenariat.blueprints import (
    account,
    admin,
    campaigns,
    controversies,
    funder,
    main,
    portrait,
    propose,
    respond,
    retreat,
    workshop,
)
from partenariat.blueprints import timeline as timeline_pages
from partenariat.config import from_environment

ROOT = Path(__file__).resolve().parent
csrf = CSRFProtect()

gc.freeze()
if _collecting:
    gc.enable()


class App(Flask):
    url_rule_class = routing.Rule

    def dispatch_request(self):
        """Run the view, then commit its unit of work once. A view that raises commits
        nothing: the session is rolled back when it is closed at teardown."""
        result = super().dispatch_request()
        database.commit()
        return result


def create_app(overrides: dict | None = None) -> Flask:
    app = App(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(from_environment(Path(app.instance_path)))
    app.config.update(overrides or {})
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")

    logs.init_app(app)
    database.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    formatting.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    for blueprint in (main, respond, account, campaigns, portrait, controversies, funder, admin, retreat):
        app.register_blueprint(blueprint.bp)
    app.register_blueprint(timeline_pages.bp)
    app.register_blueprint(workshop.bp)
    app.register_blueprint(propose.bp)
    cli.init_app(app)
    return app
