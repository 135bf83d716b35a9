from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from partenariat.blueprints.account.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from partenariat.database import db
from partenariat.roles import Permission
from partenariat.services import accounts

bp = Blueprint("account", __name__, url_prefix="/account")


def _safe_next(target: str | None) -> str | None:
    """A path on this site to go back to after signing in, or None (no open redirect).

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    '/<tab>/evil.example' would reach //evil.example: refuse every control, format or
    separator character and every backslash outright, then require a relative path
    ('/…' but not '//…') in which urlsplit finds no scheme and no host, both as written and
    once Unicode-normalised (a fullwidth solidus becomes '/').
    """
    if not target or len(target) > 2000:
        return None
    for candidate in (target, unicodedata.normalize("NFKC", target)):
        if "\\" in candidate or any(not char.isprintable() or char.isspace() for char in candidate):
            return None
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
            return None
    return target


def landing_for(user) -> str:
    if user.can(Permission.COORDINATE):
        return url_for("campaigns.dashboard")
    return url_for("funder.dashboard")


def _too_many_attempts_message(refusal: accounts.TooManyAttempts) -> str:
    """Says which limit was reached and when to try again."""
    if refusal.limit == "account":
        return ngettext(
            "This account has had many failed sign-ins lately, so it accepts one attempt every 30 seconds. "
            "Try again in %(num)s second.",
            "This account has had many failed sign-ins lately, so it accepts one attempt every 30 seconds. "
            "Try again in %(num)s seconds.",
            refusal.retry_after,
        )
    minutes = -(-refusal.retry_after // 60)  # rounded up
    if refusal.limit == "pair":
        return ngettext("Too many failed attempts for this address from this computer. Try again in %(num)s minute.",
                        "Too many failed attempts for this address from this computer. Try again in %(num)s minutes.",
                        minutes)
    return ngettext("Too many failed attempts from this computer. Try again in %(num)s minute.",
                    "Too many failed attempts from this computer. Try again in %(num)s minutes.", minutes)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next"))
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(db(), form.email.data, form.password.data, request.remote_addr or "?")
        except accounts.TooManyAttempts as refusal:
            flash(_too_many_attempts_message(refusal), "error")
            return render_template("account/login.html", form=form), 429, {"Retry-After": str(refusal.retry_after)}
        if user is not None:
            login_user(user)
            return redirect(_safe_next(form.next.data) or landing_for(user))
        flash(_("Wrong e-mail or password."), "error")
        status = 401
    elif form.errors:
        status = 400
    return render_template("account/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        # The session lives in a signed cookie: a copy of it would outlive logout_user(). The
        # login id carries this version (see auth.py), so bumping it ends every copy.
        user = current_user._get_current_object()
        user.session_version = (user.session_version or 0) + 1
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = accounts.user_for_reset_token(db(), token)
    if user is None:
        flash(_("This link is not valid or has expired. Ask an administrator for a new one."), "error")
        return render_template("account/set_password.html", form=None), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        login_user(user)
        flash(_("Your password is set."), "success")
        return redirect(landing_for(user))
    return render_template("account/set_password.html", form=form, email=user.email), 400 if form.errors else 200


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()  # the object itself, not the request proxy
    if form.validate_on_submit():
        if not user.check_password(form.current.data):
            flash(_("The current password is wrong."), "error")
            return render_template("account/password.html", form=form), 400
        user.set_password(form.password.data)
        login_user(user)  # keep this session; the others end with the old version
        flash(_("Your password is changed. Other devices were signed out."), "success")
        return redirect(landing_for(user))
    return render_template("account/password.html", form=form), 400 if form.errors else 200
