"""The retreat record and the action plan (SPEC §9). Thin: every rule lives in
``partenariat.services.plan`` and ``partenariat.plan``; views read forms, call a service,
and show its refusal next to the form that was used, with what was typed kept.

The guard loads ``g.campaign`` (404 for another partnership's) and ``g.action`` (404 for an
action of another campaign) before any view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from partenariat import access
from partenariat.blueprints.retreat import forms
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Campaign, Project
from partenariat.plan.model import PRIORITY_CAP, PlanRefused
from partenariat.roles import Permission
from partenariat.services import plan, releases
from partenariat.services import register as registry
from questionnaires import load_instrument

bp = Blueprint("retreat", __name__, url_prefix="/coordination")
access.guard(bp, Permission.COORDINATE)


def _instrument():
    return load_instrument(g.campaign.instrument_version)


def _retreat_url(anchor: str | None = None) -> str:
    """The retreat page after a form was used: ``at`` tells the page where to show the
    message (next to that form) and the fragment scrolls to it."""
    return url_for(".retreat", campaign_id=g.campaign.id, at=anchor, _anchor=anchor)


def _action_url(anchor: str) -> str:
    return url_for(".action", campaign_id=g.campaign.id, action_id=g.action.id, at=anchor, _anchor=anchor)


def _anchor_asked() -> str | None:
    """Where a redirected page shows its message: an id made of letters, digits and dashes."""
    at = request.args.get("at", "")
    return at if at.replace("-", "").isalnum() else None


def _render_retreat(status: int = 200, anchor: str | None = None, **overrides):
    """The retreat page. ``anchor``: the part whose form was used, where its messages show;
    ``overrides``: forms as submitted, so a refused form keeps what was typed."""
    campaign = g.campaign
    view = plan.retreat_view(db(), campaign.id)
    context = dict(campaign=campaign, view=view, instrument=_instrument(), lang=current_lang(), message_anchor=anchor,
                   open_form=forms.OpenForm(), priority_cap=PRIORITY_CAP,
                   has_release=releases.latest(db(), campaign.id) is not None)
    if view is not None:
        context["retreat_form"] = overrides.get("retreat") or forms.retreat_form(data=dict(
            held_on=view.held_on, method=view.method, participants=view.participants,
            decisions=view.decisions))
        submitted_id, submitted = overrides.get("reading", (None, None))
        context["reading_forms"] = {
            point.reading_id: submitted if point.reading_id == submitted_id
            else forms.reading_form(point.reading_id, data=dict(consensus=point.consensus or "", reasons=point.reasons,
                                                                 dissent=point.dissent, to_work_on=point.to_work_on))
            for point in view.points}
        context["carry_form"] = overrides.get("carry") or forms.carry_form(view.carry_candidates)
    return render_template("retreat/retreat.html", **context), status


@bp.route("/campaigns/<int:campaign_id>/retreat")
def retreat():
    return _render_retreat(anchor=_anchor_asked())


@bp.route("/campaigns/<int:campaign_id>/retreat/open", methods=["POST"])
def open_retreat():
    if not forms.OpenForm().validate_on_submit():
        flash(_("Nothing was changed: the form had expired, please try again."), "error")
        return redirect(_retreat_url())
    try:
        plan.open_retreat(db(), g.campaign.id, current_user.id)
    except PlanRefused as refusal:
        flash(str(refusal), "error")
        return redirect(_retreat_url())
    flash(_("The retreat is open: its discussion points come from the release it reads."), "success")
    return redirect(_retreat_url())


def _opened():
    """The retreat of the campaign; 404 when it is not opened (no form can act on it)."""
    view = plan.retreat_view(db(), g.campaign.id)
    if view is None:
        abort(404)
    return view


def _submit(form, call: Callable[[], object], success: str, invalid: str) -> bool:
    """Validate ``form``, then run ``call`` (one service). True when it went through (and
    ``success`` is flashed); otherwise the form's problem or the service's refusal is
    flashed, and the caller shows the form again with what was typed."""
    if not form.validate_on_submit():
        flash(invalid, "error")
        return False
    try:
        call()
    except PlanRefused as refusal:
        flash(str(refusal), "error")
        return False
    flash(success, "success")
    return True


@bp.route("/campaigns/<int:campaign_id>/retreat", methods=["POST"])
def save_retreat():
    _opened()
    form = forms.retreat_form()
    if _submit(form, lambda: plan.save_retreat(db(), g.campaign.id, held_on=form.held_on.data, method=form.method.data,
                                               participants=form.participants.data or "",
                                               decisions=form.decisions.data or ""),
               _("The retreat record is saved."), _("The retreat was not saved: check the fields marked below.")):
        return redirect(_retreat_url("record"))
    return _render_retreat(400, "record", retreat=form)


@bp.route("/campaigns/<int:campaign_id>/retreat/readings/<int:reading_id>", methods=["POST"])
def save_reading(reading_id: int):
    if reading_id not in {p.reading_id for p in _opened().points}:
        abort(404)
    form = forms.reading_form(reading_id)
    anchor = f"reading-{reading_id}"
    if _submit(form, lambda: plan.save_reading(db(), g.campaign.id, reading_id, consensus=form.consensus.data or None,
                                               reasons=form.reasons.data or "", dissent=form.dissent.data or "",
                                               to_work_on=bool(form.to_work_on.data)),
               _("The group's reading is saved."), _("The reading was not saved: check the fields marked below.")):
        return redirect(_retreat_url(anchor))
    return _render_retreat(400, anchor, reading=(reading_id, form))


@bp.route("/campaigns/<int:campaign_id>/retreat/carry-forward", methods=["POST"])
def carry_forward():
    form = forms.carry_form(_opened().carry_candidates)
    if _submit(form, lambda: plan.carry_forward(db(), g.campaign.id, list(form.actions.data)),
               ngettext("%(num)s action is carried forward, with its history.",
                        "%(num)s actions are carried forward, with their history.", len(form.actions.data or [])),
               _("Nothing was carried forward: tick at least one action.")):
        return redirect(_retreat_url("actions"))
    return _render_retreat(400, "carry", carry=form)


def _controversies():
    return registry.entries(db(), g.campaign.partnership_id)


def _projects() -> list[Project]:
    """The partnership's projects, whose timelines a done action can join."""
    return list(db().scalars(select(Project).where(Project.partnership_id == g.campaign.partnership_id)
                             .order_by(Project.title)))


def _render_action_form(form, status: int = 200):
    return render_template("retreat/action_form.html", campaign=g.campaign, form=form), status


@bp.route("/campaigns/<int:campaign_id>/retreat/actions/new", methods=["GET", "POST"])
def new_action():
    form = forms.action_form(_instrument(), current_lang(), _controversies())
    if plan.retreat_view(db(), g.campaign.id) is None:
        # Actions belong to a retreat: the retreat page says how to open one. A form sent
        # meanwhile (the retreat was removed in another tab) is shown again as typed.
        flash(_("Open the retreat first: the plan's actions are decided at the retreat."), "error")
        return _render_action_form(form, 409) if form.is_submitted() else redirect(_retreat_url())
    if not form.is_submitted():
        return _render_action_form(form)
    if _submit(form, lambda: plan.add_action(db(), g.campaign.id, forms.action_fields(form)),
               _("The action is added to the plan."), _("The action was not saved: check the fields marked below.")):
        return redirect(_retreat_url("actions"))
    return _render_action_form(form, 400)


def _action_view():
    """The plain view of ``g.action`` (the services return plain data, never the model)."""
    for action in _opened().actions:
        if action.id == g.action.id:
            return action
    abort(404)


def _render_action(status: int = 200, anchor: str | None = None, **overrides):
    action = _action_view()
    projects = _projects()
    edit = overrides.get("edit") or forms.action_form(_instrument(), current_lang(), _controversies(), data=dict(
        title=action.title, priority=action.priority, targets=forms.targets_data(action.targets),
        expected_rt=action.expected_rt or "", lead=action.lead, start_on=action.start_on, due_on=action.due_on,
        how_we_will_know=action.how_we_will_know))
    return render_template("retreat/action.html", campaign=g.campaign, action=action, edit_form=edit,
                           status_form=overrides.get("change") or forms.status_form(action.status),
                           note_form=overrides.get("note") or forms.note_form(),
                           event_form=overrides.get("event") or forms.event_form(projects), projects=projects,
                           message_anchor=anchor, instrument=_instrument(), lang=current_lang(),
                           controversies={c.id: c.title for c in _controversies()}), status


@bp.route("/campaigns/<int:campaign_id>/actions/<int:action_id>")
def action():
    return _render_action(anchor=_anchor_asked())


@bp.route("/campaigns/<int:campaign_id>/actions/<int:action_id>", methods=["POST"])
def edit_action():
    form = forms.action_form(_instrument(), current_lang(), _controversies())
    if _submit(form, lambda: plan.update_action(db(), g.action.id, forms.action_fields(form)),
               _("The action is saved."), _("The action was not saved: check the fields marked below.")):
        return redirect(_action_url("edit"))
    return _render_action(400, "edit", edit=form)


@bp.route("/campaigns/<int:campaign_id>/actions/<int:action_id>/status", methods=["POST"])
def change_status():
    form = forms.status_form()
    if _submit(form, lambda: plan.change_status(db(), g.action.id, form.status.data, form.note.data or "",
                                                form.noted_on.data),
               _("The status is changed and the note is kept in the history."),
               _("The status was not changed: check the fields marked below.")):
        return redirect(_action_url("status"))
    return _render_action(400, "status", change=form)


@bp.route("/campaigns/<int:campaign_id>/actions/<int:action_id>/notes", methods=["POST"])
def add_note():
    form = forms.note_form()
    if _submit(form, lambda: plan.add_note(db(), g.action.id, form.text.data, form.noted_on.data),
               _("The note is added to the history."), _("The note was not saved: check the fields marked below.")):
        return redirect(_action_url("status"))
    return _render_action(400, "status", note=form)


@bp.route("/campaigns/<int:campaign_id>/actions/<int:action_id>/event", methods=["POST"])
def make_event():
    form = forms.event_form(_projects())
    if _submit(form, lambda: plan.action_to_event(db(), g.action.id, form.project.data),
               _("The action is now an event of the project's timeline."), _("No event was made: choose a project.")):
        return redirect(_action_url("event"))
    return _render_action(400, "event", event=form)


@bp.route("/partnerships/<int:partnership_id>/follow-up")
def follow_up():
    partnership = g.partnership
    campaigns = {c.id: c for c in db().scalars(select(Campaign).where(Campaign.partnership_id == partnership.id))}
    return render_template("retreat/follow_up.html", partnership=partnership, campaigns=campaigns,
                           follow=plan.follow_up(db(), partnership.id, date.today()))


@bp.route("/campaigns/<int:campaign_id>/retreat/minutes")
def minutes():
    view = plan.retreat_view(db(), g.campaign.id)
    if view is None:  # nothing to print yet: the retreat page says how to open it
        return redirect(_retreat_url())
    return render_template("retreat/minutes.html", campaign=g.campaign, view=view, instrument=_instrument(),
                           lang=current_lang(), controversies={c.id: c.title for c in _controversies()})
