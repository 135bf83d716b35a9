"""The timeline import format (SPEC §8): all or nothing, every problem with its row and column."""

from __future__ import annotations

import io

import pytest

from partenariat.timeline import importing
from partenariat.timeline.model import EventStatus, Kind, Link, PartialDate
from partenariat.timeline.problems import TimelineError
from questionnaires import load_instrument

HEADER = "ref,date,title,description,actors,evidence,rt,kind,status,leads_to"
GOOD = [
    "A,2014,Comité alimentation,Premier comité,CLSC; école,Procès-verbal,RT01,,,B",
    "B,2014-03,Mémoire sur l'alimentation,,,,RT04,resultat,realise,C;E1",
    "C,2015-06-03,Subvention refusée,,,,RT10,revers,,",
    "P,2017,Engagement de la Ville,,,,RT12,,prevu,",
    "E1,2016,Serre communautaire,Ouverte au public,,Photos,EFFET,,,",
]


def csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode("utf-8")


def rejected(data: bytes, filename: str = "events.csv"):
    with pytest.raises(TimelineError) as caught:
        importing.parse(data, filename, load_instrument())
    return caught.value.problems


def test_a_good_file_gives_the_timeline():
    timeline = importing.parse(csv(*GOOD), "events.csv", load_instrument(), title="Quartier nourricier")
    assert timeline.title == "Quartier nourricier"
    assert [e.ref for e in timeline.events] == ["A", "B", "C", "P"]
    a, b, c, p = timeline.events
    assert (a.date, a.actors, a.evidence, a.kind, a.status) == (PartialDate(2014), "CLSC; école", "Procès-verbal", Kind.RESULT, EventStatus.DONE)
    assert (b.date, c.date, c.kind, p.status) == (PartialDate(2014, 3), PartialDate(2015, 6, 3), Kind.SETBACK, EventStatus.PLANNED)
    assert [(e.ref, e.title, e.evidence) for e in timeline.effects] == [("E1", "Serre communautaire", "Photos")]
    assert timeline.links == (Link("A", "B"), Link("B", "C"), Link("B", "E1"))


def test_semicolon_csv_with_lower_case_codes_and_spaces_in_leads_to():
    # French Excel saves CSV with ';' and quotes a cell holding one, as leads_to does.
    text = HEADER.replace(",", ";") + '\nA;2014;Comité;;;;rt01;;;"B ; E"\nB;2015;Mémoire;;;;RT04;;;\nE;2016;Effet;;;;effet;;;\n'
    timeline = importing.parse(text.encode("utf-8"), "events.csv", load_instrument())
    assert timeline.links == (Link("A", "B"), Link("A", "E"))
    assert timeline.events[0].rt == "RT01"


@pytest.mark.parametrize(("row", "column", "words"), [
    ("X,2015,Titre,,,,RT13,,,", "rt", "'RT13' is not an RT"),
    ("X,2015,Titre,,,,RT02,revers,,", "kind", "a setback is only possible on RT09, RT10, RT11, RT12, not on RT02"),
    ("X,2015,Titre,,,,RT01,,,Nowhere", "leads_to", "Nowhere is not a ref of this file"),
    ("X,2015-02-30,Titre,,,,RT01,,,", "date", "'2015-02-30' is not a date"),
    ("X,03/2015,Titre,,,,RT01,,,", "date", "'03/2015' is not a date"),
    ("A,2015,Titre,,,,RT01,,,", "ref", "the ref A is already used on row 2"),
    ("X,2015,Titre,,,,RT01,maybe,,", "kind", "'maybe' is not a kind"),
    ("X,2015,Titre,,,,RT01,,done,", "status", "'done' is not a status"),
    ("X,2015,Effet,,,,EFFET,,,A", "leads_to", "an effect ends a chain: it cannot lead to A"),
    ("X,2015,Effet,,,,EFFET,revers,,", "kind", "an effect has no kind"),
    ("X,2015,,,,,RT01,,,", "title", "every row needs a title"),
])
def test_each_bad_cell_is_named_by_row_and_column_and_nothing_is_returned(row, column, words):
    problems = rejected(csv(*GOOD, row))
    assert [(p.row, p.column) for p in problems] == [(7, column)]
    assert words in problems[0].text()
    assert str(problems[0]).startswith(f"Row 7, column {column}: ")


def test_a_cycle_is_reported_on_the_row_that_closes_it():
    problems = rejected(csv("A,2014,Un,,,,RT01,,,B", "B,2015,Deux,,,,RT02,,,C", "C,2016,Trois,,,,RT03,,,A"))
    assert [(p.row, p.column) for p in problems] == [(4, "leads_to")]
    assert "from C to A would close a cycle, since A already leads to C (A → B → C)" in problems[0].text()
    direct = rejected(csv("A,2014,Un,,,,RT01,,,B", "B,2015,Deux,,,,RT02,,,A"))
    assert [(p.row, p.column) for p in direct] == [(3, "leads_to")]
    assert "from B to A" in direct[0].text()


def test_every_problem_of_the_file_is_listed_at_once():
    problems = rejected(csv("A,2014,Un,,,,RT01,,,", "A,20144,Deux,,,,RT03,revers,,Z"))
    assert [(p.row, p.column) for p in problems] == [(3, "ref"), (3, "date"), (3, "kind"), (3, "leads_to")]


def test_missing_and_unknown_columns_and_unreadable_files():
    problems = rejected(b"ref,date,titre,rt\nA,2014,Un,RT01\n")
    assert {(p.column, p.text()) for p in problems} == {
        ("title", "Column title: this column is missing."), ("titre", "Column titre: unknown column.")}
    assert rejected(b"", "events.csv")[0].text() == "The file is empty."
    assert rejected(csv(), "events.csv")[0].text() == "The file has a header but no event or effect rows."
    assert "Only CSV and XLSX" in rejected(b"x", "events.pdf")[0].text()


def test_problems_are_translated_when_shown(app):
    from flask_babel import force_locale, gettext

    problem = rejected(csv(*GOOD, "X,2015,Titre,,,,RT02,revers,,"))[0]
    with app.test_request_context(), force_locale("fr"):
        assert problem.text(gettext) == (
            "Ligne 7, colonne kind : un revers n'est possible que sur RT09, RT10, RT11, RT12, pas sur RT02.")


def test_xlsx_with_typed_cells():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    import datetime

    sheet.append(["A", datetime.datetime(2015, 6, 3), "Un", None, None, None, "RT01", None, None, "E"])
    sheet.append(["E", 2016, "Effet", None, None, None, "EFFET", None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    timeline = importing.parse(buffer.getvalue(), "events.xlsx", load_instrument())
    assert timeline.events[0].date == PartialDate(2015, 6, 3)
    assert timeline.effects[0].date == PartialDate(2016)
    assert timeline.links == (Link("A", "E"),)


def test_a_file_beyond_the_reading_limits_gets_a_message_not_a_crash():
    """The spreadsheet reader refuses files that are too large; every refusal has its words."""
    from partenariat.tabular import UNREADABLE

    huge = csv(*(f"e{n},2020,Titre {n},,,,RT01,,," for n in range(6000)))
    [problem] = rejected(huge)
    assert problem.message == UNREADABLE["too_many_rows"]
