"""The checks a value must pass wherever it comes from (a form, a file, the command line).

One definition each: forms wrap these functions in WTForms validators (``as_validator``), so
a form, a roster file and a CLI option refuse the same values with the same message.
Each check returns None when the value is fine, else the message to show.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_EMAIL = 254
MIN_PASSWORD = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Syntax only (no DNS look-up: the machine may have no network, and a Table's partners
    may use a small provider's domain)."""
    # (Imported here: the library compiles its grammar on import, a twentieth of the app's
    # start-up, T4, for the few pages that read an address.)
    from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

    if len(email) > MAX_EMAIL:
        return _("This is not an e-mail address.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        # A well-formed address at a reserved name (.test, .local…) is refused too: say why,
        # or "not an e-mail address" reads as a typing mistake.
        domain = email.rpartition("@")[2].lower().rstrip(".")
        if any(domain == name or domain.endswith("." + name) for name in SPECIAL_USE_DOMAIN_NAMES):
            return _("No e-mail can reach an address at %(domain)s: that name is reserved for tests and local networks.",
                     domain=domain)
        return _("This is not an e-mail address.")
    return None


def year_problem(year: int | None) -> str | None:
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        return _("The year must be between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
    return None


def period_problem(opens_on: date | None, closes_on: date | None) -> str | None:
    if opens_on and closes_on and closes_on < opens_on:
        return _("The closing date comes before the opening date.")
    return None


def single_line_problem(text: str | None) -> str | None:
    """Titles and names travel into e-mail subjects, file names and charts: one line only."""
    if text and any(ord(character) < 32 for character in text):
        return _("Use a single line, without tabs or line breaks.")
    return None


MIN_K = 3


def k_problem(k: int | None) -> str | None:
    """Fewer than 3 responses can never be shown: with 2, each partner reads the other's answers."""
    if k is None or not MIN_K <= k <= 50:
        return _("The anonymity threshold k must be between %(min)s and 50.", min=MIN_K)
    return None


PASSWORD_TOO_SHORT = _l("The password needs at least %(n)s characters.", n=MIN_PASSWORD)


def as_validator(check):
    """A WTForms validator from one of the checks above (the field's data is checked)."""

    def validator(_form, field):
        if field.data in (None, ""):
            return
        problem = check(field.data)
        if problem:
            raise ValidationError(problem)

    return validator


def partial_date_problem(text: str | None) -> str | None:
    """A date of the timeline: a year, a month or a day (SPEC §8), a real one."""
    from partenariat.timeline.model import PartialDate

    try:
        PartialDate.parse(text or "")
    except ValueError:
        return _("Write the date as a year (2019), a month (2019-05) or a day (2019-05-14), a real one.")
    return None


# The largest id either database stores (a signed 64-bit integer); a bigger number names no row.
MAX_ID = 2**63 - 1


def record_id(text: object) -> int | None:
    """The row id a form or a query string names, or None when it names none. Only ASCII
    digits: ``str.isdigit`` also accepts "²" or "٣", which ``int`` then refuses (a 500), and an
    id past MAX_ID makes SQLite raise OverflowError instead of finding nothing."""
    if isinstance(text, int):
        return text if 0 < text <= MAX_ID else None
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
