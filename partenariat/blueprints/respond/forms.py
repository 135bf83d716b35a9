"""Forms of the self-assessment, built from the instrument data in the partner's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from questionnaires import ANSWER_CODES, MISSING_CODE, Instrument

REPORT_FIELDS = ("report_title", "report_description", "report_nature", "report_status", "report_means", "report_effect")


class StartForm(FlaskForm):
    sector = SelectField(_l("Which sector do you represent?"), validators=[DataRequired(_l("Choose the sector you represent."))])


def start_form(instrument: Instrument, lang: str, sector: str | None) -> StartForm:
    form = StartForm(data={"sector": sector})
    form.sector.choices = [SelectChoice("", _l("— choose —"))] + [
        SelectChoice(code, label.get(lang)) for code, label in instrument.sectors.items()
    ]
    return form


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SectionForm(FlaskForm):
    """Base of the per-section forms; item fields are added by ``section_form``."""


class ControversySectionForm(SectionForm):
    report_title = StringField(_l("Short title"), validators=[Length(max=200)])
    report_description = TextAreaField(_l("What is it about? (optional)"), validators=[Optional(), Length(max=2000)])
    report_nature = RadioField(_l("Nature of the disagreement"), validators=[Optional()])
    report_status = RadioField(_l("Where it stands now"), validators=[Optional()])
    report_means = MultiCheckboxField(_l("Means already used (tick all that apply)"), validators=[Optional()])
    report_effect = RadioField(_l("Effect on cooperation"), validators=[Optional()])

    def validate_report_title(self, field):
        others = (self.report_description.data, self.report_nature.data, self.report_status.data,
                  self.report_means.data, self.report_effect.data)
        if not (field.data or "").strip() and any(others):
            raise ValidationError(_l("Give the controversy a short title so that it can be recognised."))

    def has_report(self) -> bool:
        return bool((self.report_title.data or "").strip())


def section_form(instrument: Instrument, section_code: str, lang: str, answers: dict | None) -> SectionForm:
    """A form for one section. On GET ``answers`` pre-fills it; on POST the request wins."""
    section = instrument.section(section_code)
    base = ControversySectionForm if instrument.register and section_code == "controversies" else SectionForm
    fields = {}
    for code in section.items:
        item = instrument.items[code]
        choices = [SelectChoice(option, item.options[option].get(lang)) for option in ANSWER_CODES]
        choices.append(SelectChoice(MISSING_CODE, instrument.missing_label.get(lang)))
        fields[code] = RadioField(item.statement.get(lang), choices=choices, validators=[Optional()])
    form_class = type(f"{section_code.title()}Form", (base,), fields)
    form = form_class(data={code: (answers or {}).get(code) for code in section.items})
    if base is ControversySectionForm:
        for name in ("nature", "status", "means", "effect"):
            getattr(form, f"report_{name}").choices = [
                SelectChoice(code, label.get(lang)) for code, label in instrument.register[name].items()
            ]
    return form


class SubmitForm(FlaskForm):
    confirm = BooleanField(
        _l("I have reviewed my answers and I want to send them. I know I cannot change them afterwards."),
        validators=[DataRequired(_l("Tick the box to confirm that you want to send your answers."))],
    )
