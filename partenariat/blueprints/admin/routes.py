"""Administrator pages: accounts, funders' access, the audit log. Thin: parse, call a service
(``services.accounts``, which logs every change), render.

A set-password link is shown once, in the answer to the POST that made it: only its hash is
stored, so no later page can show it again.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from partenariat import access
from partenariat.blueprints.admin.forms import AccessChoiceError, NewAccountForm, access_choice, audit_filters
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Partnership, PartnershipAccess, User
from partenariat.roles import LABELS as ROLE_LABELS
from partenariat.roles import Permission, Role
from partenariat.services import accounts, audit, mail

bp = Blueprint("admin", __name__, url_prefix="/admin")
access.guard(bp, Permission.ADMINISTER)


@bp.context_processor
def _role_label():
    return {"role_label": lambda role: str(ROLE_LABELS[role])}


@access.loader("account_id", "account")
def _account(session, ident):
    return access.found(session.get(User, ident))


def _partnerships() -> list[Partnership]:
    return list(db().scalars(select(Partnership).order_by(Partnership.name)))


def _links() -> dict[int, set[int]]:
    """Account id → ids of the partnerships it is linked to."""
    links: dict[int, set[int]] = {}
    for link in db().scalars(select(PartnershipAccess)):
        links.setdefault(link.user_id, set()).add(link.partnership_id)
    return links


def _render_accounts(form: NewAccountForm, status: int = 200, chosen=(), funds_all=False):
    people = db().scalars(select(User).order_by(User.role, User.email)).all()
    return render_template("admin/accounts.html", accounts=people, partnerships=_partnerships(), links=_links(),
                           form=form, chosen=set(chosen), funds_all=funds_all,
                           mail_configured=mail.configured()), status


def _render_account(user: User, status: int = 200, new_link: str | None = None):
    return render_template("admin/account.html", account=user, partnerships=_partnerships(),
                           linked=set(accounts.linked_partnership_ids(db(), user)),
                           new_link=new_link, mail_configured=mail.configured()), status


def _hand_over(user: User, token: str, status: int = 200):
    """Show the new link once, and e-mail it when a server is configured."""
    link = accounts.set_password_link(token)
    if mail.configured():
        try:
            mail.send_account_link(user.email, user.role, link)
        except mail.MailServerUnreachable:
            flash(_("The e-mail server could not be reached; nothing was sent. Pass the link below on yourself."),
                  "error")
        else:
            flash(_("The link was e-mailed to %(email)s.", email=user.email), "success")
    return _render_account(user, status, new_link=link)


@bp.route("/accounts", methods=["GET", "POST"])
def accounts_page():
    """GET lists the accounts; POST creates one and shows its link."""
    form = NewAccountForm()
    if request.method == "GET":
        return _render_accounts(form)
    try:
        chosen, funds_all = access_choice(request.form)
    except AccessChoiceError as error:
        flash(str(error), "error")
        return _render_accounts(form, 400)
    if not form.validate_on_submit():
        flash(_("Nothing was created: check the form."), "error")
        return _render_accounts(form, 400, chosen, funds_all)
    try:
        user, token = accounts.create_account(db(), form.email.data, form.role.data, chosen, funds_all,
                                              new_partnership=form.new_partnership.data)
    except accounts.AccountError as error:
        flash(str(error), "error")
        return _render_accounts(form, 400, chosen, funds_all)
    flash(_("The account %(email)s is created.", email=user.email), "success")
    return _hand_over(user, token)


@bp.route("/accounts/<int:account_id>")
def account():
    return _render_account(g.account)


def _checked_post() -> bool:
    if FlaskForm().validate_on_submit():
        return True
    flash(_("Nothing was changed: check the form."), "error")
    return False


@bp.route("/accounts/<int:account_id>/access", methods=["POST"])
def account_access():
    user = g.account
    if not _checked_post():
        return _render_account(user, 400)
    try:
        chosen, funds_all = access_choice(request.form)
        changed = accounts.set_access(db(), user, chosen, funds_all)
    except (AccessChoiceError, accounts.AccountError) as error:
        flash(str(error), "error")
        return _render_account(user, 400)
    flash(_("Access of %(email)s is saved.", email=user.email) if changed else _("Nothing changed."), "success")
    return redirect(url_for(".account", account_id=user.id))


@bp.route("/accounts/<int:account_id>/reinvite", methods=["POST"])
def reinvite():
    user = g.account
    if not _checked_post():
        return _render_account(user, 400)
    try:
        token = accounts.reinvite(db(), user)
    except accounts.AccountError as error:
        flash(str(error), "error")
        return _render_account(user, 400)
    flash(_("A new set-password link was made for %(email)s; the previous one no longer works.", email=user.email),
          "success")
    return _hand_over(user, token)


@bp.route("/accounts/<int:account_id>/disable", methods=["POST"])
def disable():
    user = g.account
    if not _checked_post():
        return _render_account(user, 400)
    try:
        accounts.disable(db(), user, by=current_user._get_current_object())
    except accounts.AccountError as error:
        flash(str(error), "error")
        return _render_account(user, 400)
    flash(_("The account %(email)s is disabled: it is signed out and can no longer sign in.", email=user.email),
          "success")
    return redirect(url_for(".account", account_id=user.id))


@bp.route("/accounts/<int:account_id>/enable", methods=["POST"])
def enable():
    user = g.account
    if not _checked_post():
        return _render_account(user, 400)
    accounts.enable(db(), user)
    flash(_("The account %(email)s can sign in again.", email=user.email), "success")
    return redirect(url_for(".account", account_id=user.id))


@bp.route("/funders", methods=["GET", "POST"])
def funders():
    """Every funder's partnerships on one page (each form saves one funder)."""
    session = db()
    if request.method == "POST":
        funder = session.get(User, request.form.get("user_id", type=int) or 0)
        try:
            if funder is None or funder.role != Role.FUNDER or not FlaskForm().validate_on_submit():
                raise AccessChoiceError(_("Nothing was changed: check the form."))
            chosen, funds_all = access_choice(request.form)
            accounts.set_access(session, funder, chosen, funds_all)
        except (AccessChoiceError, accounts.AccountError) as error:
            flash(str(error), "error")
            return redirect(url_for(".funders"))
        flash(_("Access of %(email)s is saved.", email=funder.email), "success")
        return redirect(url_for(".funders"))
    people = session.scalars(select(User).where(User.role == Role.FUNDER).order_by(User.email)).all()
    return render_template("admin/funders.html", funders=people, partnerships=_partnerships(), links=_links())


@bp.route("/audit")
def audit_log():
    session = db()
    actions = audit.known_actions(session)
    filters, page_number, problems = audit_filters(request.args, actions)
    page, rows = None, []
    if not problems:
        page = audit.search(session, filters, page_number)
        names = audit.Names.of(session, page.entries)
        lang = current_lang()
        rows = [(audit.local_time(e.at, lang), e.actor, audit.action_label(e.action), audit.describe(e.detail, names))
                for e in page.entries]
    choices = [(code, audit.action_label(code)) for code in actions]
    # The form shows what was asked, as typed, so that a bad value can be corrected.
    asked = {key: value[:300] for key, value in request.args.items() if key in ("actor", "action", "since", "until")}
    return render_template("admin/audit.html", rows=rows, page=page, problems=problems, actions=choices,
                           actors=audit.actors(session), asked=asked), 400 if problems else 200
