"""The page where partners, without an account, propose events for a project's timeline.

The link is the project's proposal link (``services.proposals``); a wrong link, or too many
wrong links from one address, ends in the same bilingual pages as a wrong personal link.
Nothing on the page or in what is stored says who proposed what.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from partenariat.blueprints.main.errors import bilingual_page
from partenariat.blueprints.propose import forms
from partenariat.blueprints.respond.routes import LINK_PROBLEMS
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.services import proposals
from partenariat.services.invitation import TooManyGuesses
from questionnaires import load_instrument

bp = Blueprint("propose", __name__, url_prefix="/p")


class WrongLink(Exception):
    def __init__(self, kind: str):
        self.kind = kind


@bp.errorhandler(WrongLink)
def _wrong_link(problem: WrongLink):
    status, title, body = LINK_PROBLEMS[problem.kind]
    return bilingual_page(title, body, status)


def _project(token: str):
    try:
        project = proposals.project_for_token(db(), token, request.remote_addr or "?")
    except TooManyGuesses:
        raise WrongLink("too_many") from None
    if project is None:
        raise WrongLink("unknown")
    return project


def _render(token, project, form, status=200):
    instrument, lang = load_instrument(), current_lang()
    return render_template("propose/propose.html", token=token, project=project, form=form, instrument=instrument,
                           lang=lang), status


@bp.route("/<token>", methods=["GET", "POST"])
def propose(token: str):
    project = _project(token)
    form = forms.proposal_form(load_instrument(), current_lang())
    if request.method == "GET":
        return _render(token, project, form)
    if not form.validate_on_submit():
        flash(_("Your proposal is not sent yet: see the messages below. What you wrote is still here."), "error")
        return _render(token, project, form, 400)
    try:
        proposals.propose(db(), project, proposals.Proposed(form.date.parsed, form.title.data,
                                                            form.description.data or "", form.rt.data or None))
    except proposals.ProposalError as refusal:
        flash(str(refusal), "error")
        return _render(token, project, form, 400)
    flash(_("Thank you: your proposal is sent to the coordination. You can propose another one."), "success")
    return redirect(url_for(".propose", token=token))


@bp.errorhandler(CSRFError)
def _expired(_error):
    """An expired form: the proposal comes back as typed, to send again."""
    try:
        project = _project((request.view_args or {}).get("token", ""))
    except WrongLink as problem:
        return _wrong_link(problem)
    form = forms.proposal_form(load_instrument(), current_lang())
    flash(_("This page had expired, so your proposal is not sent yet. Check it and press “Send” again."), "error")
    return _render(request.view_args["token"], project, form, 400)
