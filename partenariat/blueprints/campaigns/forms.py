from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from partenariat.validation import as_validator, email_problem, k_problem, period_problem, single_line_problem, year_problem

PREREQUISITE = _l("Tick this condition; if it does not hold, the CACIS diagnostic is not the right tool yet.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CampaignForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(_l("Enter the year.")), as_validator(year_problem)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200), as_validator(single_line_problem)])
    k = IntegerField(_l("Anonymity threshold k (no result for fewer responses)"),
                     validators=[DataRequired(), as_validator(k_problem)])
    focus = IntegerField(_l("Discussion points for the retreat"), default=6,
                         validators=[DataRequired(_l("Enter a number from 1 to 12.")),
                                     NumberRange(1, 12, _l("Enter a number from 1 to 12."))])
    languages = MultiCheckboxField(_l("Languages offered to partners"),
                                   choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")], default=["fr", "en"])
    opens_on = DateField(_l("Opens on (optional)"), validators=[Optional()])
    closes_on = DateField(_l("Closes on (optional)"), validators=[Optional()])
    specific_project = BooleanField(_l("The partnership works on a specific project."), validators=[DataRequired(PREREQUISITE)])
    bounded_in_time = BooleanField(_l("The project is bounded in time."), validators=[DataRequired(PREREQUISITE)])
    resources = BooleanField(_l("Resources are allocated to it."), validators=[DataRequired(PREREQUISITE)])
    beyond_information = BooleanField(_l("Partners do more than share information and network."),
                                      validators=[DataRequired(PREREQUISITE)])

    def validate_languages(self, field):
        if not field.data:
            raise ValidationError(_l("Offer at least one language."))

    def validate_closes_on(self, field):
        problem = period_problem(self.opens_on.data, field.data)
        if problem:
            raise ValidationError(problem)


class InviteOneForm(FlaskForm):
    label = StringField(_l("Name or organisation (seen only by the coordination)"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail (optional)"), validators=[Optional(), as_validator(email_problem)])
    sector = SelectField(_l("Sector (optional)"), validators=[Optional()])
    language = SelectField(_l("Language of the link"), choices=[SelectChoice("", "—"), SelectChoice("fr", "Français"), SelectChoice("en", "English")],
                           validators=[Optional()])


class AnonymousLinksForm(FlaskForm):
    count = IntegerField(_l("Number of unnamed links"), validators=[DataRequired(), NumberRange(1, 500)], default=5)


class UploadForm(FlaskForm):
    file = FileField(_l("File (CSV or XLSX)"), validators=[FileRequired(_l("Choose a file."))])


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token is needed."""
