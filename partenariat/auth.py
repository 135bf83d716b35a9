"""Flask-Login wiring and the role / partnership checks every coordinator page makes."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager, current_user, login_required

from partenariat.database import db
from partenariat.models import Campaign, Partnership, User
from partenariat.services.accounts import partnership_ids

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


def roles_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def partnership_or_404(partnership_id: int) -> Partnership:
    """The partnership if the signed-in user works with it; 404 otherwise, so that ids of
    other partnerships reveal nothing."""
    allowed = partnership_ids(db(), current_user)
    partnership = db().get(Partnership, partnership_id)
    if partnership is None or (allowed is not None and partnership.id not in allowed):
        abort(404)
    return partnership


def campaign_or_404(campaign_id: int) -> Campaign:
    campaign = db().get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    partnership_or_404(campaign.partnership_id)
    return campaign


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
