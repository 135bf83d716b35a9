"""Numbers as people read them on a page: the exports' rounding, the reader's locale.

Pages must show the very numbers of the JSON and the workbooks, so the one rounding of
``exports.numbers.one_decimal`` (halves up, docs/methodology.md) is applied first and Babel only writes
the result with the locale's decimal sign ("56,3" in French, "56.3" in English).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import format_date, format_decimal

from exports.numbers import one_decimal

MISSING = "—"


def one_decimal_text(value: Fraction | float | int | None, signed: bool = False) -> str:
    """A score, gap or change with one decimal; "—" when there is none. ``signed`` writes
    the sign of a change ("+1,5", "-0,5"); a change that rounds to zero reads "+0,0"."""
    rounded = one_decimal(value)
    if rounded is None:
        return MISSING
    # Through str(): the float one_decimal returns is the nearest to a one-decimal number,
    # and Babel must not round it a second time.
    number = Decimal(str(rounded)) + 0  # + 0 turns -0.0 into 0.0
    return format_decimal(number, format="+0.0;-0.0" if signed else "0.0")


# Times are stored in UTC; people read them in Québec's time.
LOCAL_ZONE = "America/Montreal"


def local_date(moment: datetime | None) -> str:
    """A stored (UTC) moment as a date in the reader's language and Québec's time zone."""
    if moment is None:
        return MISSING
    return format_date(moment.replace(tzinfo=UTC).astimezone(ZoneInfo(LOCAL_ZONE)).date(), format="long")


def init_app(app: Flask) -> None:
    from partenariat.services.releases import describe_refusal

    app.add_template_filter(one_decimal_text, "one_decimal")
    app.add_template_filter(local_date, "localdate")
    app.jinja_env.globals["release_refusal"] = describe_refusal
