from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from partenariat.validation import MIN_PASSWORD, PASSWORD_TOO_SHORT


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])
    next = HiddenField()


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password (at least %(n)s characters)", n=MIN_PASSWORD),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200, message=PASSWORD_TOO_SHORT)])
    confirmation = PasswordField(_l("The same password again"),
                                 validators=[DataRequired(), EqualTo("password", _l("The two passwords are not the same."))])


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
