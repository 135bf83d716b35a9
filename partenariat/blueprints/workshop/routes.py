"""The coordinator's timeline workshop (SPEC §8): for a project, or the whole partnership,
the RT profile with our proposed reading beside the perceived RT scores of the latest release;
the question grid; the printable workshop pack; snapshots and their comparison; partners'
event proposals."""

from __future__ import annotations

import base64

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from partenariat import access
from partenariat.blueprints.workshop import forms
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Event, EventProposal
from partenariat.roles import Permission
from partenariat.services import proposals, workshop
from partenariat.services.timeline import load_timeline
from partenariat.statuses import ReviewStatus
from partenariat.timeline.questions import MOMENTS, load_questions
from partenariat.validation import record_id
from questionnaires import load_instrument

bp = Blueprint("workshop", __name__, url_prefix="/coordination")
access.guard(bp, Permission.COORDINATE)


def _page(template: str, status: int = 200, **context):
    return render_template(template, partnership=g.partnership, instrument=load_instrument(), grid=load_questions(),
                           lang=current_lang(), **context), status


@bp.route("/partnerships/<int:partnership_id>/workshop")
def index():
    return _page("workshop/index.html", projects=workshop.projects(db(), g.partnership.id))


@bp.route("/partnerships/<int:partnership_id>/workshop/profile")
def partnership_profile():
    return _page("workshop/profile.html", project=None, view=workshop.partnership_profile(db(), g.partnership.id))


@bp.route("/partnerships/<int:partnership_id>/projects/<int:project_id>/workshop/profile")
def project_profile():
    return _page("workshop/profile.html", project=g.project, view=workshop.project_profile(db(), g.project))


def _moment() -> str:
    asked = request.args.get("moment")
    return asked if asked in MOMENTS else MOMENTS[0]


@bp.route("/partnerships/<int:partnership_id>/projects/<int:project_id>/workshop/grid", methods=["GET", "POST"])
def grid():
    """One moment of the question grid (looking back or forward) for the project, saved in one go."""
    project, moment = g.project, _moment()
    questions = load_questions().questions(moment)
    form = forms.grid_form(questions, workshop.grid_answers(db(), project.id), moment)
    if request.method == "POST":
        if form.validate_on_submit():
            answered = workshop.save_grid_answers(db(), project.id, moment, {
                q.code: workshop.Answer(form[f"lesson_{q.code}"].data or "", form[f"avenue_{q.code}"].data or "")
                for q in questions})
            flash(ngettext("The answers are saved (%(num)s question answered for this moment).",
                           "The answers are saved (%(num)s questions answered for this moment).", answered), "success")
            return redirect(url_for(".grid", partnership_id=g.partnership.id, project_id=project.id, moment=moment))
        flash(_("Nothing was saved: see the messages next to the answers below. What you typed is still here."),
              "error")
    return _page("workshop/grid.html", 400 if form.errors else 200, project=project, moment=moment,
                 questions=questions, form=form)


@bp.route("/partnerships/<int:partnership_id>/projects/<int:project_id>/workshop/pack")
def pack():
    """The printable workshop pack: the diagram, the RT profile and the grid with its answers."""
    from exports import timeline_svg

    project, lang = g.project, current_lang()
    timeline = load_timeline(db(), project.partnership_id, project.id)
    # As an image (a data: address): the page's Content-Security-Policy forbids the inline
    # <style> the drawing carries, an image document is not bound by it.
    diagram = base64.b64encode(timeline_svg.render(timeline, load_instrument(), lang)).decode("ascii") \
        if timeline.events or timeline.effects else None
    return _page("workshop/pack.html", project=project, view=workshop.project_profile(db(), project),
                 answers=workshop.grid_answers(db(), project.id), diagram=diagram)


def _snapshots_page(form=None, status: int = 200, compare_error: str | None = None, older=None, newer=None):
    project = g.project
    return _page("workshop/snapshots.html", status, project=project, form=form or forms.SnapshotForm(),
                 snapshots=workshop.snapshots(db(), project.id), compare_error=compare_error, now=workshop.NOW,
                 older=older, newer=newer)


@bp.route("/partnerships/<int:partnership_id>/projects/<int:project_id>/workshop/snapshots", methods=["GET", "POST"])
def snapshots():
    """The project's snapshots: take one now (e.g. at a retreat), pick two to compare."""
    form = forms.SnapshotForm()
    if request.method == "POST":
        if form.validate_on_submit():
            snapshot = workshop.take_snapshot(db(), g.project, form.label.data)
            flash(_("The timeline is frozen as “%(label)s” (%(n)s events).", label=snapshot.label,
                    n=len(snapshot.content["events"])), "success")
            return redirect(url_for(".snapshots", partnership_id=g.partnership.id, project_id=g.project.id))
        return _snapshots_page(form, 400)
    return _snapshots_page(form)


@bp.route("/partnerships/<int:partnership_id>/projects/<int:project_id>/workshop/snapshots/compare")
def compare():
    """What changed between two snapshots, or between a snapshot and today's timeline."""
    older, newer = request.args.get("older", ""), request.args.get("newer", "")
    if older == newer:
        return _snapshots_page(status=400, older=older, newer=newer,
                               compare_error=_("Choose two different moments to compare."))
    try:
        result = workshop.compare(db(), g.project, older, newer)
    except workshop.SnapshotMissing:
        return _snapshots_page(status=400, older=older, newer=newer,
                               compare_error=_("Choose two snapshots of this project (or today's timeline)."))
    labels = {str(s.id): s for s in workshop.snapshots(db(), g.project.id)}
    return _page("workshop/compare.html", project=g.project, result=result, older=labels.get(older),
                 newer=labels.get(newer))


ANY_PROPOSAL = "*"  # key of a review message that belongs to no form on the page


@access.loader("proposal_id", "proposal")
def _proposal(session, ident):
    return access.belongs(session.get(EventProposal, ident), "project_id", "project")


def _proposals_page(status: int = 200, new_link: str | None = None, problems: dict | None = None,
                    typed: dict | None = None):
    project = g.project
    return _page("workshop/proposals.html", status, project=project, action_form=forms.ActionForm(),
                 has_link=proposals.has_link(db(), project.id), new_link=new_link,
                 pending=proposals.pending(db(), project.id), handled=proposals.handled_counts(db(), project.id),
                 events=proposals.events(db(), project.id), suggested=proposals.suggested_ref(db(), project.id),
                 date_of=proposals.date_of, problems=problems or {}, typed=typed or {}, any_proposal=ANY_PROPOSAL)


@bp.route("/partnerships/<int:partnership_id>/projects/<int:project_id>/workshop/proposals")
def proposals_page():
    return _proposals_page()


@bp.route("/partnerships/<int:partnership_id>/projects/<int:project_id>/workshop/proposals/link", methods=["POST"])
def proposal_link():
    """Make the project's proposal link (a new one replaces the old) or close it."""
    if not forms.ActionForm().validate_on_submit():
        flash(_("Nothing was changed: the page had expired. Try again."), "error")
        return redirect(url_for(".proposals_page", partnership_id=g.partnership.id, project_id=g.project.id))
    if request.form.get("action") == "close":
        proposals.close_link(db(), g.project)
        flash(_("The proposal link is closed: it no longer works."), "success")
        return redirect(url_for(".proposals_page", partnership_id=g.partnership.id, project_id=g.project.id))
    token = proposals.new_link(db(), g.project)
    return _proposals_page(new_link=proposals.proposal_url(token))


@bp.route("/partnerships/<int:partnership_id>/projects/<int:project_id>/workshop/proposals/<proposal_id>",
          methods=["POST"])
def review_proposal():
    """Accept a proposal (it becomes an event), merge it into an event, or set it aside."""
    proposal, form = g.proposal, forms.ActionForm()
    action = request.form.get("action")
    typed = {"ref": request.form.get("ref", ""), "rt": request.form.get("rt", ""), "event": request.form.get("event", "")}
    if not form.validate_on_submit() or action not in ("accept", "merge", "dismiss"):
        return _proposals_page(400, problems={proposal.id: _("Nothing was changed: the page had expired. Try again.")},
                               typed={proposal.id: typed})
    try:
        if action == "accept":
            event = proposals.accept(db(), proposal, typed["ref"], typed["rt"])
            flash(_("The proposal is now the event %(ref)s of the timeline.", ref=event.ref), "success")
        elif action == "merge":
            ident = record_id(typed["event"])
            chosen = db().get(Event, ident) if ident is not None else None
            event = proposals.merge(db(), proposal, chosen)
            flash(_("The proposal is merged into the event %(ref)s.", ref=event.ref), "success")
        else:
            proposals.dismiss(db(), proposal)
            flash(_("The proposal is set aside."), "success")
    except proposals.ProposalError as error:
        # A proposal handled meanwhile (another tab, a colleague) has no form left on the page:
        # its message goes above the list.
        where = proposal.id if proposal.review_status == ReviewStatus.PENDING else ANY_PROPOSAL
        return _proposals_page(400, problems={where: str(error)}, typed={proposal.id: typed})
    return redirect(url_for(".proposals_page", partnership_id=g.partnership.id, project_id=g.project.id))
