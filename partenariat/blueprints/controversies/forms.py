from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from partenariat.blueprints.campaigns.forms import MultiCheckboxField


class ControversyForm(FlaskForm):
    title = StringField(_l("Short title"), validators=[DataRequired(_l("Give the controversy a short title so that it can be recognised.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    nature = RadioField(_l("Nature of the disagreement"), validators=[Optional()])
    means = MultiCheckboxField(_l("Means used"), validators=[Optional()])
    effect = RadioField(_l("Effect on cooperation"), validators=[Optional()])


def controversy_form(instrument, lang: str, campaigns=(), **kwargs) -> ControversyForm:
    """The form, with one status field per campaign of the partnership (its history)."""
    fields = {
        f"status_{c.id}": SelectField(f"{c.year} · {c.title}", validators=[Optional()],
                                      choices=[SelectChoice("", "—")] + [
                                          SelectChoice(code, label.get(lang))
                                          for code, label in instrument.register["status"].items()])
        for c in campaigns
    }
    form = type("RegisterEntryForm", (ControversyForm,), fields)(**kwargs)
    for name in ("nature", "means", "effect"):
        form[name].choices = [SelectChoice(code, label.get(lang)) for code, label in instrument.register[name].items()]
    return form


class ReviewForm(FlaskForm):
    action = SelectField(choices=[SelectChoice(code) for code in ("accept", "merge", "dismiss")])
    target = SelectField(validators=[Optional()], coerce=str)
