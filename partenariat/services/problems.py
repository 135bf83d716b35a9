"""Problems found in an uploaded file, each naming its row and column."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from partenariat.tabular import TabularError


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
    messages = {
        "unsupported_type": _("Only CSV and XLSX files can be read (got %(detail)s).", detail=error.detail or "?"),
        "encoding": _("The file is not text in UTF-8 or Windows-1252; save it again as CSV UTF-8."),
        "binary": _("The file looks binary, not CSV; export it as CSV or XLSX."),
        "empty": _("The file is empty."),
        "malformed": _("The CSV file is malformed (%(detail)s).", detail=error.detail),
        "bad_xlsx": _("The XLSX file cannot be opened; it may be damaged or not a real Excel file."),
        "duplicate_columns": _("Columns appear twice: %(detail)s.", detail=error.detail),
        "too_big": _("The XLSX file unpacks to more than %(detail)s MB; it cannot be an import. "
                     "Save only the sheet to import, or export it as CSV.", detail=error.detail),
        "too_many_rows": _("The sheet has more than %(detail)s rows under its header (or says it has); "
                           "split it into several files, or delete the empty rows below the data.",
                           detail=error.detail),
        "too_many_columns": _("The sheet has more than %(detail)s columns (or says it has); "
                              "delete the columns that are not part of the import.", detail=error.detail),
    }
    if error.code == "extra_cells":
        return FileRejected([Problem(_("this row has more cells than the header has columns."), row=int(error.detail))])
    return FileRejected([Problem(messages[error.code])])
