"""A campaign's retreat and action plan in Excel (docs/plan.md): plain data in, bytes out.

``add_plan_sheet`` puts the whole plan on one sheet of another workbook (the coordinator's);
``build`` makes the workbook of ``export-plan``, one sheet per table. Headers and labels
follow the chosen language; every text cell goes through ``spreadsheet.put``, so a title
such as "=HYPERLINK(…)" stays text. Scores are rounded to one decimal here, as elsewhere.
"""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _

from exports.numbers import one_decimal
from exports.spreadsheet import (
    LABEL_FONT,
    SCORE_FORMAT,
    TITLE_FONT,
    WRAPPED,
    fit_row_heights,
    fit_to_page_width,
    header,
    put,
    table_sheet,
    widths,
)
from partenariat.plan.model import MOVEMENT_REASONS, ActionView, Movement, PlanExport, TargetKind, TargetRef
from partenariat.statuses import label

DATE_FORMAT = "yyyy-mm-dd"


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _target(data: PlanExport, target: TargetRef, lang: str) -> str:
    """A target as a coordinator reads it: its code and name, or the register entry's title."""
    instrument = data.instrument
    if target.kind == TargetKind.CONTROVERSY:
        title = data.controversy_titles.get(target.controversy_id, f"#{target.controversy_id}")
        return f"{label(TargetKind.CONTROVERSY)} · {title}"
    names = {TargetKind.ITEM: lambda c: instrument.items[c].statement,
             TargetKind.DIMENSION: lambda c: instrument.dimensions[c].name,
             TargetKind.RT: lambda c: instrument.rts[c].name}[target.kind]
    try:
        return f"{target.code} · {names(target.code).get(lang)}"
    except KeyError:  # a code of another instrument version (an action carried forward)
        return target.code


def _facts(data: PlanExport) -> list[tuple[str, object]]:
    retreat = data.retreat
    facts = [(_("Partnership"), data.partnership), (_("Year"), data.year)]
    if retreat is None:
        return facts
    return facts + [
        (_("Retreat held on"), retreat.held_on),
        (_("How the retreat was held"), label(retreat.method)),
        (_("Release discussed"), retreat.release_number),
        (_("Participating organisations"), ", ".join(retreat.participant_list)),
        (_("Decisions"), retreat.decisions),
        (_("Priority actions"), retreat.priority_count),
    ]


def _status_of(data: PlanExport, code: str | None, lang: str) -> str | None:
    if code is None:
        return None
    entry = data.instrument.register.get("status", {}).get(code)
    return entry.get(lang) if entry else code


def _comment(movement: Movement) -> str:
    said = [_(MOVEMENT_REASONS[code]) for code in (movement.reason, movement.note) if code]
    if movement.left_out:
        said.append(_("Left out: %(codes)s.", codes=", ".join(movement.left_out)))
    return " ".join(said)


ACTION_WIDTHS = [40, 9, 18, 50, 10, 24, 12, 12, 40, 9, 50, 16]


def _action_labels() -> list[str]:
    return [_("Action"), _("Priority"), _("Status"), _("Targets"), _("Expected RT"), _("Lead"), _("Start date"),
            _("Due date"), _("How we will know"), _("Overdue"), _("Latest note"), _("Carried from")]


def _action_row(data: PlanExport, action: ActionView, lang: str) -> list:
    latest = action.notes[-1] if action.notes else None
    return [action.title, _yes(action.priority), label(action.status),
            "; ".join(_target(data, t, lang) for t in action.targets), action.expected_rt, action.lead,
            action.start_on, action.due_on, action.how_we_will_know, _yes(action.overdue),
            f"{latest.noted_on.isoformat()} · {latest.text}" if latest else None,
            ", ".join(str(step.year) for step in action.carried_from)]


ACTION_DATES = {7: DATE_FORMAT, 8: DATE_FORMAT}
MOVEMENT_WIDTHS = [40, 18, 50, 10, 10, 10, 60]


def _movement_labels() -> list[str]:
    return [_("Action"), _("Status"), _("Target"), _("Before"), _("After"), _("Change"), _("Comment")]


def _movement_rows(data: PlanExport, lang: str) -> list[list]:
    rows = []
    for entry in data.last_year.actions if data.last_year else ():
        for movement in entry.movements:
            if movement.target.kind == TargetKind.CONTROVERSY:
                before, after = (_status_of(data, movement.status_before, lang),
                                 _status_of(data, movement.status_after, lang))
            else:
                before, after = one_decimal(movement.before), one_decimal(movement.after)
            rows.append([entry.action.title, label(entry.action.status), _target(data, movement.target, lang),
                         before, after, one_decimal(movement.delta), _comment(movement)])
    return rows


MOVEMENT_SCORES = {4: SCORE_FORMAT, 5: SCORE_FORMAT, 6: SCORE_FORMAT}


def add_plan_sheet(workbook, data: PlanExport, lang: str):
    """The "Action plan" sheet: the retreat's facts, its actions, then last year's actions
    with what moved."""
    with force_locale(lang):
        sheet = workbook.create_sheet(_("Action plan"))
        fit_to_page_width(sheet)
        put(sheet, 1, 1, _("Action plan — %(partnership)s, %(year)s", partnership=data.partnership,
                           year=data.year)).font = TITLE_FONT
        row = 3
        for name, value in _facts(data):
            put(sheet, row, 1, name).font = LABEL_FONT
            put(sheet, row, 2, value, DATE_FORMAT if hasattr(value, "isoformat") else None)
            row += 1
        row += 1
        if data.retreat is None:
            put(sheet, row, 1, _("No retreat has been recorded for this campaign yet."))
            row += 2
        else:
            row = _table(sheet, row, _("Actions decided at this retreat"), _action_labels(),
                         [_action_row(data, a, lang) for a in data.retreat.actions], ACTION_DATES)
        if data.last_year is not None:
            title = _("What we decided in %(year)s, what moved", year=data.last_year.year)
            _table(sheet, row, title, _movement_labels(), _movement_rows(data, lang), MOVEMENT_SCORES)
        widths(sheet, ACTION_WIDTHS)
        # After the widths: the heights follow from them (LibreOffice draws an unfitted row's
        # wrapped text over the rows below).
        fit_row_heights(sheet, first_row=3)
        return sheet


def _table(sheet, row: int, title: str, labels: list[str], rows: list[list], formats: dict[int, str]) -> int:
    """A titled table from ``row``; returns the first row after it and a blank one."""
    put(sheet, row, 1, title).font = LABEL_FONT
    header(sheet, row + 1, labels)
    for offset, values in enumerate(rows, start=row + 2):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, offset, column, value, formats.get(column) if value is not None else None)
            if isinstance(value, str):
                # Titles, targets and notes run long; a status can too ("planned, not started").
                cell.alignment = WRAPPED
    return row + len(rows) + 3


def build(data: PlanExport, lang: str) -> bytes:
    """The workbook of export-plan: the retreat, its points, actions, targets, notes, movement."""
    with force_locale(lang):
        return _build(data, lang)


def _build(data: PlanExport, lang: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    facts = workbook.active
    facts.title = _("Retreat")
    fit_to_page_width(facts)
    header(facts, 1, [_("Topic"), _("Meaning")])
    rows = _facts(data)
    for row, (name, value) in enumerate(rows, start=2):
        put(facts, row, 1, name).font = LABEL_FONT
        put(facts, row, 2, value, DATE_FORMAT if hasattr(value, "isoformat") else None)
    # The labels' column as wide as the longest label (a bold character is about one unit).
    widths(facts, [max(30, 2 + max(len(str(name)) for name, _value in rows)), 80])
    retreat = data.retreat
    points = retreat.points if retreat else ()
    table_sheet(
        workbook, _("Discussion points"),
        [_("Point"), _("Dimension"), _("Item"), _("Statement"), "A", "B", "C", _("Don't know / blank"),
         _("Group's reading"), _("Reasons"), _("Dissent"), _("To work on")],
        ([p.position, f"{p.dimension} · {p.name.get(lang)}", i.code, i.statement.get(lang),
          *((i.counts.A, i.counts.B, i.counts.C, i.counts.NSP) if i.counts else (None,) * 4),
          p.consensus or _("no consensus"), p.reasons, p.dissent, _yes(p.to_work_on)]
         for p in points for i in p.items),
        column_widths=[7, 30, 8, 60, 6, 6, 6, 10, 14, 40, 40, 10], wrap={2, 4, 10, 11},
    )
    actions = retreat.actions if retreat else ()
    table_sheet(workbook, _("Actions"), ["Id", *_action_labels()],
                ([a.id, *_action_row(data, a, lang)] for a in actions),
                formats={c + 1: f for c, f in ACTION_DATES.items()}, column_widths=[6, *ACTION_WIDTHS],
                wrap={2, 4, 5, 7, 10, 12})
    table_sheet(workbook, _("Targets"), ["Id", _("Action"), _("Kind"), _("Target")],
                ([a.id, a.title, label(t.kind), _target(data, t, lang)] for a in actions for t in a.targets),
                column_widths=[6, 40, 20, 70], wrap={2, 4})
    table_sheet(workbook, _("Notes"), ["Id", _("Action"), _("Date"), _("Status after the note"), _("Note")],
                ([a.id, a.title, n.noted_on, label(n.status) if n.status else None, n.text]
                 for a in actions for n in a.notes),
                formats={3: DATE_FORMAT}, column_widths=[6, 40, 12, 20, 70], wrap={2, 5})
    table_sheet(workbook, _("Movement"), _movement_labels(), _movement_rows(data, lang), formats=MOVEMENT_SCORES,
                column_widths=MOVEMENT_WIDTHS, wrap={1, 3, 7})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
