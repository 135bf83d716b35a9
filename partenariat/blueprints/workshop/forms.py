"""Forms of the timeline workshop."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from partenariat.services.workshop import ANSWER_LENGTH, LABEL_LENGTH


class GridForm(FlaskForm):
    """One moment of the question grid; a lesson and an avenue field per question are added
    by ``grid_form``."""


def _answer_field(label):
    return TextAreaField(label, validators=[Optional(), Length(max=ANSWER_LENGTH, message=_l(
        "At most %(max)d characters; shorten this answer (nothing was saved)."))],
        render_kw={"rows": 2})


def grid_form(questions, saved: dict, moment: str) -> GridForm:
    """The grid form for ``questions`` (of ``moment``); on GET the saved answers fill it, on
    POST what was typed wins."""
    fields = {}
    for question in questions:
        fields[f"lesson_{question.code}"] = _answer_field(_l("Lesson drawn"))
        fields[f"avenue_{question.code}"] = _answer_field(_l("Avenue for action"))
    form_class = type("GridMomentForm", (GridForm,), fields)
    data = {}
    for question in questions:
        answer = saved.get((question.code, moment))
        if answer is not None:
            data[f"lesson_{question.code}"] = answer.lesson
            data[f"avenue_{question.code}"] = answer.avenue
    return form_class(data=data)


class SnapshotForm(FlaskForm):
    label = StringField(_l("Name of the snapshot"), validators=[
        DataRequired(_l("Name the snapshot, for instance after the retreat it records.")),
        Length(max=LABEL_LENGTH, message=_l("At most %(max)d characters."))])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token is checked."""
