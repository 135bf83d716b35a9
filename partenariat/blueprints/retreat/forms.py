"""Forms of the retreat record and the action plan. Choices that depend on the campaign (its
instrument's items, the partnership's register, its projects) are filled in by the functions
below, so that a submitted value outside them is refused with a message, never stored."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from partenariat.blueprints.campaigns.forms import MultiCheckboxField
from partenariat.plan.model import TRANSITIONS, ActionFields, ActionStatus, RetreatMethod, TargetKind, TargetRef
from partenariat.statuses import label
from partenariat.validation import as_validator, single_line_problem

NOT_A_DATE = _l("Enter a date as YYYY-MM-DD.")
TEXT = 4000
# "": the group did not reach a consensus on the point.
CONSENSUS = ("A", "B", "C", "")


class RetreatForm(FlaskForm):
    held_on = DateField(_l("Held on (optional)"), validators=[Optional()])
    method = RadioField(_l("Method used"), validators=[InputRequired(_l("Choose the method the retreat used."))])
    participants = TextAreaField(_l("Participating organisations (one a line)"), validators=[Optional(), Length(max=TEXT)])
    decisions = TextAreaField(_l("What the group decided"), validators=[Optional(), Length(max=TEXT)])


def retreat_form(**kwargs) -> RetreatForm:
    form = RetreatForm(prefix="retreat", **kwargs)
    form.method.choices = [SelectChoice(m.value, label(m)) for m in RetreatMethod]
    return form


class ReadingForm(FlaskForm):
    consensus = RadioField(_l("The group's reading"), validators=[Optional()], default="")
    reasons = TextAreaField(_l("Reasons"), validators=[Optional(), Length(max=TEXT)])
    dissent = TextAreaField(_l("Dissent noted"), validators=[Optional(), Length(max=TEXT)])
    to_work_on = BooleanField(_l("To work on"))


def reading_form(reading_id: int, **kwargs) -> ReadingForm:
    """One form per discussion point; the prefix keeps the fields of two points apart."""
    form = ReadingForm(prefix=f"reading-{reading_id}", **kwargs)
    form.consensus.choices = [SelectChoice(code, code or str(_l("No consensus"))) for code in CONSENSUS]
    return form


class ActionForm(FlaskForm):
    title = StringField(_l("Action"), validators=[DataRequired(_l("Give the action a title.")), Length(max=200),
                                                   as_validator(single_line_problem)])
    priority = BooleanField(_l("Priority action"))
    targets = SelectMultipleField(_l("What it targets (items, dimensions, transitional results, a controversy)"),
                                  validators=[Optional()], render_kw={"size": 12})
    expected_rt = SelectField(_l("Expected transitional result"), validators=[Optional()])
    lead = StringField(_l("Led by (an organisation or a role)"), validators=[Optional(), Length(max=200),
                                                                            as_validator(single_line_problem)])
    start_on = DateField(_l("Starts on (optional)"), validators=[Optional()])
    due_on = DateField(_l("Due on (optional)"), validators=[Optional()])
    how_we_will_know = TextAreaField(_l("How we will know"), validators=[Optional(), Length(max=TEXT)])

    def validate_due_on(self, field):
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError(_l("The due date comes before the start date."))


def _target_value(kind: str, code: str | int) -> str:
    return f"{kind}:{code}"


def action_form(instrument, lang: str, controversies, **kwargs) -> ActionForm:
    """The action form; targets are offered by their names, grouped by kind."""
    form = ActionForm(prefix="action", **kwargs)
    form.targets.choices = {
        str(_l("Items")): [(_target_value("item", c), f"{c} · {i.statement.get(lang)}") for c, i in instrument.items.items()],
        str(_l("Dimensions")): [(_target_value("dimension", c), f"{c} · {d.name.get(lang)}")
                                for c, d in instrument.dimensions.items()],
        str(_l("Transitional results")): [(_target_value("rt", c), f"{c} · {r.name.get(lang)}") for c, r in instrument.rts.items()],
        str(_l("Controversies of the register")): [(_target_value("controversy", c.id), c.title) for c in controversies],
    }
    form.expected_rt.choices = [SelectChoice("", "—")] + [SelectChoice(c, f"{c} · {r.name.get(lang)}")
                                                           for c, r in instrument.rts.items()]
    return form


def targets_data(targets) -> list[str]:
    """The form's values for an action's targets (TargetRef-like objects)."""
    return [_target_value(t.kind, t.controversy_id if t.kind == "controversy" else t.code) for t in targets]


def action_fields(form: ActionForm) -> ActionFields:
    targets = []
    for value in form.targets.data or []:
        kind, _sep, code = value.partition(":")
        if kind == TargetKind.CONTROVERSY:
            targets.append(TargetRef(TargetKind(kind), controversy_id=int(code)))
        else:
            targets.append(TargetRef(TargetKind(kind), code=code))
    return ActionFields(title=form.title.data.strip(), priority=bool(form.priority.data),
                        expected_rt=form.expected_rt.data or None, lead=(form.lead.data or "").strip(),
                        start_on=form.start_on.data, due_on=form.due_on.data,
                        how_we_will_know=form.how_we_will_know.data or "", targets=tuple(targets))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), validators=[DataRequired()])
    noted_on = DateField(_l("Date"), validators=[InputRequired(NOT_A_DATE)], default=date.today)
    note = TextAreaField(_l("Note (what happened)"), validators=[Optional(), Length(max=TEXT)])


def status_form(current: ActionStatus | None = None, **kwargs) -> StatusForm:
    """The page offers only the statuses the action may go to from ``current``; the form
    that receives a change accepts every status, so that a change made stale by another tab
    gets the plan's own explanation (``transition_refusal``) rather than "not a choice"."""
    form = StatusForm(prefix="status", **kwargs)
    offered = [s for s in ActionStatus if current is None or s in TRANSITIONS[ActionStatus(current)]]
    form.status.choices = [SelectChoice(s.value, label(s)) for s in offered]
    return form


class NoteForm(FlaskForm):
    noted_on = DateField(_l("Date"), validators=[InputRequired(NOT_A_DATE)], default=date.today)
    text = TextAreaField(_l("Note"), validators=[DataRequired(_l("Write the note.")), Length(max=TEXT)])


def note_form(**kwargs) -> NoteForm:
    return NoteForm(prefix="note", **kwargs)


class EventForm(FlaskForm):
    project = SelectField(_l("Project whose timeline gets the event"), coerce=int,
                          validators=[InputRequired(_l("Choose a project."))])


def event_form(projects, **kwargs) -> EventForm:
    form = EventForm(prefix="event", **kwargs)
    form.project.choices = [SelectChoice(p.id, p.title) for p in projects]
    return form


class CarryForm(FlaskForm):
    actions = MultiCheckboxField(_l("Unfinished actions of last year"), coerce=int,
                                 validators=[DataRequired(_l("Tick at least one action to carry forward."))])


def carry_form(actions, **kwargs) -> CarryForm:
    form = CarryForm(prefix="carry", **kwargs)
    form.actions.choices = [SelectChoice(a.id, f"{a.title} ({label(a.status)})") for a in actions]
    return form


class OpenForm(FlaskForm):
    """The button that opens the retreat (CSRF only)."""
