"""The form of a partner's event proposal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from partenariat.services.proposals import DESCRIPTION_LENGTH, TITLE_LENGTH
from partenariat.timeline.model import PartialDate


class ProposalForm(FlaskForm):
    date = StringField(_l("When did it happen?"), validators=[DataRequired(_l("Give the date, even roughly: a year is enough."))])
    title = StringField(_l("What happened? (a short title)"), validators=[
        DataRequired(_l("Give the event a short title.")),
        Length(max=TITLE_LENGTH, message=_l("At most %(max)d characters."))])
    description = TextAreaField(_l("Tell more (optional): who took part, what it changed"), validators=[
        Optional(), Length(max=DESCRIPTION_LENGTH, message=_l("At most %(max)d characters."))])
    rt = SelectField(_l("Transitional result (optional)"), validators=[Optional()])

    def validate_date(self, field):
        try:
            field.parsed = PartialDate.parse(field.data or "")
        except ValueError:
            raise ValidationError(_l("Write the date as 2019, 2019-05 or 2019-05-14 (a real date).")) from None


def proposal_form(instrument, lang: str) -> ProposalForm:
    form = ProposalForm()
    form.rt.choices = [("", _l("I do not know: the group will choose"))] + [
        (code, f"{code} — {rt.name.get(lang)}") for code, rt in instrument.rts.items()]
    return form
