"""Problems found in an uploaded file, each naming its row and column."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from partenariat.tabular import UNREADABLE, TabularError


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s", row=self.row, column=self.column, message=self.message)
        if self.row is not None:
            return _("Row %(row)s: %(message)s", row=self.row, message=self.message)
        if self.column:
            return _("Column %(column)s: %(message)s", column=self.column, message=self.message)
        return self.message


class FileRejected(ValueError):
    """The whole file is refused; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def unreadable(error: TabularError) -> FileRejected:
    if error.code == "extra_cells":
        return FileRejected([Problem(_("this row has more cells than the header has columns."), row=int(error.detail))])
    return FileRejected([Problem(_(UNREADABLE[error.code], detail=error.detail or "?"))])
