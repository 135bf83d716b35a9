"""The administrator's forms, and the reading of the audit log's filters (GET parameters)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from partenariat.roles import LABELS as ROLE_LABELS
from partenariat.roles import Role
from partenariat.services.audit import Filters
from partenariat.validation import MAX_EMAIL, as_validator, email_problem, normalise_email, single_line_problem

MAX_PAGE = 1_000_000


class NewAccountForm(FlaskForm):
    """The account's partnerships travel beside it, as ``partnerships`` and ``all`` (see
    ``access_choice``), in the same fields as on an account's own page."""

    email = EmailField(_l("E-mail"), filters=[lambda value: normalise_email(value) if value else value],
                       validators=[DataRequired(_l("Enter the e-mail address.")), as_validator(email_problem)])
    # The service checks the role, with its own message (WTForms' own is not translated here).
    role = SelectField(_l("Role"), choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in Role],
                       default=Role.COORDINATOR.value, validate_choice=False)
    # A partnership to make and link at once: a fresh install has none to tick.
    new_partnership = StringField(_l("New partnership"), filters=[lambda value: value.strip() if value else value],
                                  validators=[Length(max=200, message=_l("The partnership name is longer than 200 characters.")),
                                              as_validator(single_line_problem)])


class AccessChoiceError(ValueError):
    pass


def access_choice(form: MultiDict) -> tuple[list[int], bool]:
    """The partnerships ticked (``partnerships``, repeated) and the "every partnership" box."""
    values = form.getlist("partnerships")
    if not all(value.isdigit() and len(value) < 10 for value in values):
        raise AccessChoiceError(_("Nothing was changed: check the form."))
    return [int(value) for value in values], form.get("all") == "1"


def _day(value: str) -> tuple[date | None, bool]:
    """(the day, whether the value was bad); an empty value is no day."""
    value = value.strip()
    if not value:
        return None, False
    try:
        return date.fromisoformat(value[:20]), False
    except ValueError:
        return None, True


def audit_filters(args: MultiDict, actions: list[str]) -> tuple[Filters, int, list[str]]:
    """The filters and the page number asked for in the URL, and a message per bad value."""
    problems = []
    actor = args.get("actor", "").strip().lower() or None
    if actor and len(actor) > MAX_EMAIL:
        problems.append(_("The person is longer than %(n)s characters.", n=MAX_EMAIL))
    action = args.get("action", "").strip() or None
    if action and action not in actions:
        problems.append(_("The action %(value)r is not one the log knows.", value=action[:40]))
    since, bad = _day(args.get("since", ""))
    if bad:
        problems.append(_("The start date %(value)r is not a date; write it as 2026-03-31.", value=args["since"][:40]))
    until, bad = _day(args.get("until", ""))
    if bad:
        problems.append(_("The end date %(value)r is not a date; write it as 2026-03-31.", value=args["until"][:40]))
    if since and until and until < since:
        problems.append(_("The end date comes before the start date."))
    page_text = args.get("page", "1").strip() or "1"
    page = int(page_text) if page_text.isdigit() and len(page_text) < 8 else 0
    if not 1 <= page <= MAX_PAGE:
        problems.append(_("The page must be a whole number from 1."))
        page = 1
    return Filters(actor=actor, action=action, since=since, until=until), page, problems
