"""Flask-Login wiring: loading the signed-in account (access checks live in access.py)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager

from partenariat.database import db
from partenariat.models import User

login_manager = LoginManager()
login_manager.login_view = "account.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


class Anonymous(AnonymousUserMixin):
    def can(self, _permission) -> bool:
        return False


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def _load(user_id: str):
    ident, _sep, version = user_id.partition(".")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db().get(User, int(ident))
    # A password change bumps the version and so signs out every other session.
    if user is None or user.session_version != int(version):
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
