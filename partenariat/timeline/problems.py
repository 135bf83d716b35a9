"""Problems found in a timeline or its import file, each naming what it is about.

The package is pure, so it cannot call Flask-Babel. A problem keeps its English message (the
catalog's msgid, with ``%(name)s`` placeholders) and its values apart; whoever shows it passes
the translation function of the moment: ``problem.text(gettext)``. Messages are marked with
``_l`` so that the catalog extraction (and tests/test_translations.py) finds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from partenariat.messages import _l


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class Problem:
    message: str
    params: dict = field(default_factory=dict, hash=False)
    row: int | None = None
    column: str | None = None

    def text(self, gettext: Callable[[str], str] = _same) -> str:
        """The message in the language of ``gettext`` (English by default), with its place."""
        message = gettext(self.message) % self.params if self.params else gettext(self.message)
        if self.row is not None and self.column:
            return gettext(_l("Row %(row)s, column %(column)s: %(message)s")) % {
                "row": self.row, "column": self.column, "message": message}
        if self.row is not None:
            return gettext(_l("Row %(row)s: %(message)s")) % {"row": self.row, "message": message}
        if self.column:
            return gettext(_l("Column %(column)s: %(message)s")) % {"column": self.column, "message": message}
        return message

    def __str__(self) -> str:
        return self.text()


class TimelineError(ValueError):
    """The timeline (or the whole import file) is refused; nothing was kept."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
