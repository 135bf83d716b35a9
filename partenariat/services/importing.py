"""Importing responses from CSV or XLSX (README.md and docs/portrait-json.md): paper questionnaires, other tools.

All or nothing: every row is checked before anything is written, and every problem is
reported with its row and column so the file can be fixed in one go.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from partenariat.models import Answer, Campaign, Response
from partenariat.services import audit
from partenariat.services.problems import FileRejected, Problem, unreadable
from partenariat.statuses import ResponseSource
from partenariat.tabular import TabularError, read_table
from questionnaires import ANSWER_CODES, LANGUAGES, MISSING_CODE, Instrument, load_instrument

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class ImportedResponse:
    sector: str
    lang: str
    answers: dict[str, str]


def template_header(instrument: Instrument) -> list[str]:
    return instrument.response_file_header


def parse(data: bytes, filename: str, instrument: Instrument) -> list[ImportedResponse]:
    try:
        table = read_table(data, filename)
    except TabularError as error:
        raise unreadable(error) from None
    expected = [name.lower() for name in template_header(instrument)]
    problems = [
        Problem(_("this column is missing."), column=code)
        for code, name in zip(template_header(instrument), expected, strict=True)
        if name not in table.header
    ]
    problems += [
        Problem(_("unknown column."), column=name)
        for name in table.header
        if name not in expected
    ]
    if problems:
        raise FileRejected(problems)
    by_lower = {name.lower(): name for name in template_header(instrument)}
    valid_answers = (*ANSWER_CODES, MISSING_CODE)
    parsed, seen = [], {}
    for number, cells in table.rows:
        respondent = cells["respondent"]
        if respondent and respondent in seen:
            problems.append(Problem(_("respondent %(id)s already appears on row %(other)s.", id=respondent, other=seen[respondent]), row=number, column="respondent"))
        if respondent:
            seen.setdefault(respondent, number)
        sector = cells["sector"].lower()
        if sector not in instrument.sectors:
            problems.append(Problem(_("sector %(value)r is not one of %(choices)s.", value=cells["sector"], choices=", ".join(instrument.sectors)), row=number, column="sector"))
        lang = cells["lang"].lower()
        if lang not in LANGUAGES:
            problems.append(Problem(_("lang %(value)r must be fr or en.", value=cells["lang"]), row=number, column="lang"))
        answers = {}
        for code in instrument.item_codes:
            column = code.lower()
            if (number, column) in table.non_text:
                problems.append(Problem(_("the cell holds a %(kind)s, not an answer (A, B, C, NSP or blank).", kind=_("date") if table.non_text[(number, column)] == "date" else _("number")), row=number, column=by_lower[column]))
                continue
            value = cells[column].upper()
            if value == "":
                continue
            if value not in valid_answers:
                problems.append(Problem(_("%(value)r is not an answer (A, B, C, NSP or blank).", value=cells[column]), row=number, column=code))
                continue
            answers[code] = value
        if not any(value in ANSWER_CODES for value in answers.values()):
            # A row of blanks and "don't know" says nothing, yet it would count towards k:
            # enough of them would let one real partner's answers show (padding).
            problems.append(Problem(_("this row has no A, B or C answer: an empty questionnaire cannot be counted."),
                                    row=number))
        parsed.append(ImportedResponse(sector, lang, answers))
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise FileRejected(problems[:MAX_PROBLEMS])
    if not parsed:
        raise FileRejected([Problem(_("The file has a header but no response rows."))])
    return parsed


def import_responses(session: Session, campaign: Campaign, data: bytes, filename: str) -> int:
    """Validate the whole file, then add every response (nothing is added when one cell is wrong)."""
    instrument = load_instrument(campaign.instrument_version)
    parsed = parse(data, filename, instrument)
    for row in parsed:
        response = Response(campaign_id=campaign.id, sector=row.sector, lang=row.lang, source=ResponseSource.ENTERED)
        response.answers = [Answer(item_code=code, value=value) for code, value in row.answers.items()]
        session.add(response)
    # Entered responses are the coordinator's own typing: every import is on record.
    audit.record(session, "import_responses", campaign_id=campaign.id, responses=len(parsed), file=filename[:200])
    session.flush()
    return len(parsed)
