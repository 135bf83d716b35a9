"""Coordinator pages for timelines (SPEC §8). Thin: parse, call a service, render.

The blueprint's guard has checked the account and loaded ``g.partnership``, ``g.project``,
``g.event``, ``g.effect`` and ``g.link`` from the URL (404 for another partnership).
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from partenariat import access
from partenariat.blueprints.downloads import XLSX, attachment
from partenariat.blueprints.timeline import forms
from partenariat.database import db
from partenariat.i18n import current_lang
from partenariat.models import Effect, Event
from partenariat.roles import Permission
from partenariat.security import allow_inline_style
from partenariat.services import register as registry
from partenariat.services import timeline as service
from partenariat.services.problems import FileRejected
from partenariat.timeline import graph
from partenariat.timeline.model import SETBACK_RTS, PartialDate
from partenariat.timeline.questions import load_questions
from partenariat.validation import record_id
from questionnaires import load_instrument

bp = Blueprint("timeline", __name__, url_prefix="/coordination")
access.guard(bp, Permission.COORDINATE)

MIMETYPES = {"json": "application/json", "svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf",
             "xlsx": XLSX}


@bp.context_processor
def _helpers():
    def when(entry) -> str:
        """An entry's date in words, at its precision ("mars 2019", "2019")."""
        return PartialDate.from_parts(entry.date, entry.date_precision).label(current_lang())

    return {"when": when, "SETBACK_RTS": SETBACK_RTS}


def _texts(entry, *names) -> dict:
    """A stored event or effect as the form's data: its date written as typed ("2019-05")."""
    return {"date": PartialDate.from_parts(entry.date, entry.date_precision).iso(),
            **{name: str(getattr(entry, name) or "") for name in names}}


def _refused(form, error: service.FieldRefused):
    form[error.field].errors = [*form[error.field].errors, str(error)]


def _status(form) -> int:
    return 400 if any(field.errors for field in form) else 200


# ----- Projects -------------------------------------------------------------------------------


def _project_fields(form) -> service.ProjectFields:
    return service.ProjectFields(form.title.data, form.description.data or "", forms.partial_date(form.start),
                                 forms.partial_date(form.end))


@bp.route("/partnerships/<int:partnership_id>/projects", methods=["GET", "POST"])
def projects():
    partnership = g.partnership
    form = forms.ProjectForm()
    if form.validate_on_submit():
        try:
            project = service.create_project(db(), partnership.id, _project_fields(form))
        except service.FieldRefused as error:
            _refused(form, error)
        else:
            flash(_("The project is created. Add its first event."), "success")
            return redirect(url_for(".new_event", project_id=project.id))
    return render_template("timeline/projects.html", partnership=partnership, form=form,
                           projects=service.projects(db(), partnership.id)), _status(form)


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
def edit_project():
    project = g.project
    start, end = service.project_dates(project)
    form = forms.ProjectForm(data={"title": project.title, "description": project.description,
                                   "start": start.iso() if start else "", "end": end.iso() if end else ""})
    if form.validate_on_submit():
        try:
            service.update_project(db(), project, _project_fields(form))
        except service.FieldRefused as error:
            _refused(form, error)
        else:
            flash(_("The project is saved."), "success")
            return redirect(url_for(".project", project_id=project.id))
    return render_template("timeline/project_form.html", partnership=g.partnership, project=project,
                           form=form), _status(form)


def _svg(timeline, effect_ref=None, id_prefix="tl") -> Markup:
    from exports import timeline_svg

    # Our own drawing: every text in it is escaped by the SVG writer.
    return Markup(timeline_svg.render(timeline, load_instrument(), current_lang(), effect_ref=effect_ref,
                                      id_prefix=id_prefix).decode("utf-8"))


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _with_drawing(page: str, status: int, drawing: Markup | None):
    """The page as a response whose security policy lets the inlined drawing's own style
    sheet apply (by its hash), so that borders and dashes show as in the downloads."""
    response = make_response(page, status)
    match = _STYLE.search(drawing or "")
    return allow_inline_style(response, match.group(1)) if match else response


def _render_project(import_form, status: int = 200):
    """The project page: the diagram in its own scrolling frame, downloads and the import form."""
    project = g.project
    timeline = service.load_timeline(db(), project.partnership_id, project.id)
    drawing = _svg(timeline) if timeline.events or timeline.effects else None
    page = render_template("timeline/project.html", partnership=g.partnership, project=project, timeline=timeline,
                           drawing=drawing, entries=service.entries(db(), project.id), import_form=import_form,
                           formats=service.FORMATS)
    return _with_drawing(page, status, drawing)


@bp.route("/projects/<int:project_id>")
def project():
    return _render_project(forms.ImportForm())


# ----- Events ---------------------------------------------------------------------------------


def _event_form(**kwargs):
    return forms.event_form(load_instrument(), current_lang(), registry.entries(db(), g.partnership.id), **kwargs)


def _event_fields(form) -> service.EventFields:
    controversy = form.controversy.data
    return service.EventFields(
        date=forms.partial_date(form.date), title=form.title.data, rt=form.rt.data, kind=form.kind.data,
        status=form.status.data, description=form.description.data or "", actors=form.actors.data or "",
        evidence=form.evidence.data or "", controversy_id=record_id(controversy))


def _render_event_form(form, event=None):
    return render_template("timeline/event_form.html", partnership=g.partnership, project=g.project, form=form,
                           event=event, instrument=load_instrument(), grid=load_questions(), lang=current_lang(),
                           links=service.links_touching(db(), event) if event else [],
                           entries=service.entries(db(), g.project.id)), _status(form)


@bp.route("/projects/<int:project_id>/events/new", methods=["GET", "POST"])
def new_event():
    form = _event_form()
    # Entry after entry in a workshop: the cursor waits in the date field.
    form.date.render_kw = {**form.date.render_kw, "autofocus": True}
    if form.validate_on_submit():
        try:
            event = service.add_event(db(), g.project, _event_fields(form))
        except service.FieldRefused as error:
            _refused(form, error)
        else:
            flash(_("Event %(ref)s is added: %(title)s. Add the next one.", ref=event.ref, title=event.title), "success")
            return redirect(url_for(".new_event", project_id=g.project.id))
    return _render_event_form(form)


@bp.route("/projects/<int:project_id>/events/<int:event_id>", methods=["GET", "POST"])
def edit_event():
    event = g.event
    form = _event_form(data={**_texts(event, "title", "description", "actors", "evidence", "rt", "kind", "status"),
                             "controversy": str(event.controversy_id or "")})
    if form.validate_on_submit():
        try:
            service.update_event(db(), g.project, event, _event_fields(form))
        except service.FieldRefused as error:
            _refused(form, error)
        else:
            flash(_("Event %(ref)s is saved.", ref=event.ref), "success")
            return redirect(url_for(".table", project_id=g.project.id))
    return _render_event_form(form, event)


def _confirm(heading: str, consequences: list[str], button: str):
    return render_template("timeline/confirm.html", partnership=g.partnership, project=g.project, heading=heading,
                           consequences=consequences, action=request.path, form=forms.ActionForm(), button=button)


def _delete_entry(entry, heading: str, done: str):
    if not forms.ActionForm().validate_on_submit():
        flash(_("Nothing was changed: check the form."), "error")
        return redirect(url_for(".table", project_id=g.project.id))
    links = service.links_touching(db(), entry)
    if request.form.get("confirmed") != "1":
        consequences = [_("“%(title)s” (%(ref)s) will be deleted. This cannot be undone.", title=entry.title, ref=entry.ref)]
        if links:
            consequences.append(ngettext("%(num)s link to or from it will be deleted too.",
                                         "%(num)s links to or from it will be deleted too.", len(links)))
        return _confirm(heading, consequences, heading)
    service.delete_entry(db(), entry)
    flash(done, "success")
    return redirect(url_for(".table", project_id=g.project.id))


@bp.route("/projects/<int:project_id>/events/<int:event_id>/delete", methods=["POST"])
def delete_event():
    return _delete_entry(g.event, _("Delete this event"), _("The event is deleted."))


# ----- Effects --------------------------------------------------------------------------------


def _effect_fields(form) -> service.EffectFields:
    return service.EffectFields(forms.partial_date(form.date), form.title.data, form.description.data or "",
                                form.evidence.data or "")


def _render_effect_form(form, effect=None):
    return render_template("timeline/effect_form.html", partnership=g.partnership, project=g.project, form=form,
                           effect=effect), _status(form)


@bp.route("/projects/<int:project_id>/effects/new", methods=["GET", "POST"])
def new_effect():
    form = forms.EffectForm()
    if form.validate_on_submit():
        try:
            effect = service.add_effect(db(), g.project, _effect_fields(form))
        except service.FieldRefused as error:
            _refused(form, error)
        else:
            flash(_("Effect %(ref)s is added: %(title)s.", ref=effect.ref, title=effect.title), "success")
            return redirect(url_for(".links", project_id=g.project.id))
    return _render_effect_form(form)


@bp.route("/projects/<int:project_id>/effects/<int:effect_id>", methods=["GET", "POST"])
def edit_effect():
    effect = g.effect
    form = forms.EffectForm(data=_texts(effect, "title", "description", "evidence"))
    if form.validate_on_submit():
        try:
            service.update_effect(db(), effect, _effect_fields(form))
        except service.FieldRefused as error:
            _refused(form, error)
        else:
            flash(_("Effect %(ref)s is saved.", ref=effect.ref), "success")
            return redirect(url_for(".table", project_id=g.project.id))
    return _render_effect_form(form, effect)


@bp.route("/projects/<int:project_id>/effects/<int:effect_id>/delete", methods=["POST"])
def delete_effect():
    return _delete_entry(g.effect, _("Delete this effect"), _("The effect is deleted."))


@bp.route("/projects/<int:project_id>/effects/<int:effect_id>/chain")
def chain():
    project, effect = g.project, g.effect
    timeline = service.load_timeline(db(), project.partnership_id, project.id)
    upstream = graph.chain_of(timeline, effect.ref)
    order = [upstream.node(ref) for ref in graph.topological_order(upstream)]
    drawing = _svg(timeline, effect_ref=effect.ref, id_prefix="chain")
    page = render_template("timeline/chain.html", partnership=g.partnership, project=project, effect=effect,
                           drawing=drawing, chain=upstream, order=order, instrument=load_instrument(),
                           lang=current_lang())
    return _with_drawing(page, 200, drawing)


# ----- Links ----------------------------------------------------------------------------------


def _node(choice: str, project_id: int):
    """The event or effect a link form's choice ("event-12", "effect-3") names, in this project."""
    kind, _sep, ident = (choice or "").partition("-")
    table = {"event": Event, "effect": Effect}.get(kind)
    number = record_id(ident)
    node = db().get(table, number) if table and number is not None else None
    return node if node is not None and node.project_id == project_id else None


@bp.route("/projects/<int:project_id>/links", methods=["GET", "POST"])
def links():
    project = g.project
    entries = service.entries(db(), project.id)
    form = forms.link_form(entries)
    if form.validate_on_submit():
        source, target = _node(form.source.data, project.id), _node(form.target.data, project.id)
        if not isinstance(source, Event):
            form.source.errors = [_("Choose the event the link starts from.")]
        elif target is None:
            form.target.errors = [_("Choose the event or effect it led to.")]
        else:
            try:
                service.add_link(db(), project, source, target, form.rationale.data or "")
            except service.FieldRefused as error:
                _refused(form, error)
            else:
                flash(_("Link added: “%(source)s” led to “%(target)s”.", source=source.title, target=target.title),
                      "success")
                return redirect(url_for(".links", project_id=project.id))
    return render_template("timeline/links.html", partnership=g.partnership, project=project, form=form,
                           entries=entries, action_form=forms.ActionForm()), _status(form)


@bp.route("/projects/<int:project_id>/links/<int:link_id>/delete", methods=["POST"])
def delete_link():
    project, link = g.project, g.link
    if not forms.ActionForm().validate_on_submit():
        flash(_("Nothing was changed: check the form."), "error")
        return redirect(url_for(".links", project_id=project.id))
    source = db().get(Event, link.source_event_id)
    target = db().get(Event, link.target_event_id) if link.target_event_id else db().get(Effect, link.target_effect_id)
    if request.form.get("confirmed") != "1":
        return _confirm(_("Delete this link"), [_("The link “%(source)s” led to “%(target)s” will be deleted; both stay.",
                                                  source=source.title, target=target.title)], _("Delete this link"))
    service.delete_link(db(), link)
    flash(_("The link is deleted."), "success")
    return redirect(url_for(".links", project_id=project.id))


# ----- Table view, downloads, import ----------------------------------------------------------


@bp.route("/projects/<int:project_id>/table")
def table():
    project = g.project
    return render_template("timeline/table.html", partnership=g.partnership, project=project,
                           entries=service.entries(db(), project.id), instrument=load_instrument(),
                           lang=current_lang(), action_form=forms.ActionForm())


@bp.route("/projects/<int:project_id>/timeline.<fmt>")
def download(fmt: str):
    project = g.project
    if fmt not in service.FORMATS:
        abort(404)
    data = service.export_timeline(db(), g.partnership.name, project.title, fmt, current_lang())
    return attachment(data, f"timeline-{project.id}.{fmt}", MIMETYPES[fmt])


@bp.route("/projects/<int:project_id>/import-template.xlsx")
def import_template():
    from exports.timeline_template import build

    return attachment(build(load_instrument(), current_lang()), "timeline-import-template.xlsx")


@bp.route("/projects/<int:project_id>/import", methods=["POST"])
def upload():
    project = g.project
    form = forms.ImportForm()
    entries = service.entries(db(), project.id)
    if form.validate_on_submit():
        if (entries.events or entries.effects) and not form.replace.data:
            form.replace.errors = [_("Tick the box: the file replaces what the project holds now.")]
        else:
            upload = form.file.data
            try:
                counts = service.import_into_project(db(), project, upload.read(), upload.filename or "events.csv")
            except FileRejected as error:
                form.file.errors = [str(problem) for problem in error.problems]
                form.file.errors.append(_("Nothing was imported. Fix these problems and upload the file again."))
            else:
                flash(_("Imported: %(events)s events, %(effects)s effects, %(links)s links.", events=counts.events,
                        effects=counts.effects, links=counts.links), "success")
                return redirect(url_for(".project", project_id=project.id))
    return _render_project(form, 400)


# ----- The RT cards ---------------------------------------------------------------------------


@bp.route("/rt-cards")
def rt_cards():
    """The twelve RT as a printable card set, for workshops on paper."""
    return render_template("timeline/rt_cards.html", instrument=load_instrument(), grid=load_questions(),
                           lang=current_lang())
