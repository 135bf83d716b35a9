"""Forms of the timeline pages. They check the shape of each value (required, length, a date
written as a year, a month or a day); the rules of SPEC §8 (a setback only on RT09–RT12, no
cycle, one title per project) are the service's, which names the field it refuses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from partenariat.timeline.model import EventStatus, Kind, PartialDate
from partenariat.validation import as_validator, partial_date_problem, single_line_problem

DATE_HINT = _l("A year (2019), a month (2019-05) or a day (2019-05-14).")
TEXT_LIMIT = 4000


def partial_date(field) -> PartialDate | None:
    """The parsed date of a validated date field (None when left empty)."""
    return PartialDate.parse(field.data) if field.data else None


def _date_field(label, required: bool):
    first = DataRequired(_l("Enter the date.")) if required else Optional()
    return StringField(label, validators=[first, as_validator(partial_date_problem)],
                       render_kw={"autocomplete": "off", "inputmode": "numeric", "placeholder": "2019-05"})


def _title_field(label, message):
    return StringField(label, validators=[DataRequired(message), Length(max=200), as_validator(single_line_problem)],
                       render_kw={"autocomplete": "off"})


def _text(label):
    return TextAreaField(label, validators=[Optional(), Length(max=TEXT_LIMIT)], render_kw={"rows": 2})


class ProjectForm(FlaskForm):
    title = _title_field(_l("Title of the project"), _l("Give the project a title."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=TEXT_LIMIT)])
    start = _date_field(_l("Start (optional)"), required=False)
    end = _date_field(_l("End (optional)"), required=False)


class EventForm(FlaskForm):
    date = _date_field(_l("Date"), required=True)
    title = _title_field(_l("What happened"), _l("Give the event a title."))
    rt = RadioField(_l("Transitional result (RT)"), validators=[DataRequired(_l("Pick one of the twelve RT cards."))])
    kind = RadioField(_l("Result or setback"), default=Kind.RESULT.value,
                      choices=[SelectChoice(Kind.RESULT.value, _l("Result")),
                               SelectChoice(Kind.SETBACK.value, _l("Setback (RT09 to RT12 only)"))])
    status = RadioField(_l("Realised or planned"), default=EventStatus.DONE.value,
                        choices=[SelectChoice(EventStatus.DONE.value, _l("Realised")),
                                 SelectChoice(EventStatus.PLANNED.value, _l("Planned"))])
    description = _text(_l("Description"))
    actors = _text(_l("Actors involved"))
    evidence = _text(_l("Evidence (a text or a link)"))
    controversy = SelectField(_l("Controversy of the register (RT03 only, optional)"), validators=[Optional()])


def event_form(instrument, lang: str, controversies, **kwargs) -> EventForm:
    form = EventForm(**kwargs)
    form.rt.choices = [SelectChoice(code, f"{code} {rt.name.get(lang)}") for code, rt in instrument.rts.items()]
    form.controversy.choices = [SelectChoice("", "—")] + [SelectChoice(str(c.id), c.title) for c in controversies]
    return form


class EffectForm(FlaskForm):
    date = _date_field(_l("Date observed"), required=True)
    title = _title_field(_l("What changed in living environments"), _l("Give the effect a title."))
    description = _text(_l("Description"))
    evidence = _text(_l("Evidence (a text or a link)"))


class LinkForm(FlaskForm):
    source = SelectField(_l("This event"), validators=[DataRequired(_l("Choose the event the link starts from."))])
    target = SelectField(_l("led to"), validators=[DataRequired(_l("Choose the event or effect it led to."))])
    rationale = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=TEXT_LIMIT)])


def link_form(entries, **kwargs) -> LinkForm:
    """Choices read as "E03 · 2019-09 · title" ("FX1 ◆ · …" for an effect), so that a workshop
    can type the ref to pick one from the keyboard."""
    form = LinkForm(**kwargs)

    def name(entry, marker: str = "") -> str:
        return f"{entry.ref}{marker} · {PartialDate.from_parts(entry.date, entry.date_precision).iso()} · {entry.title}"

    events = [SelectChoice(f"event-{e.id}", name(e)) for e in entries.events]
    form.source.choices = [SelectChoice("", "—")] + events
    form.target.choices = [SelectChoice("", "—")] + events + [
        SelectChoice(f"effect-{e.id}", name(e, " ◆")) for e in entries.effects]
    return form


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a CSV or XLSX file to import."))])
    replace = BooleanField(_l("I understand that the file replaces every event, effect and link of this project."))
