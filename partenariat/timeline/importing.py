"""The import format of a timeline (docs/timeline.md), CSV or XLSX, into a checked ``Timeline``.

One row per event or effect: ``ref,date,title,description,actors,evidence,rt,kind,status,
leads_to``; ``rt`` is RT01…RT12, or EFFET for an effect; ``leads_to`` lists the refs the row
led to, separated by ``;``. All or nothing: every row is checked first, and every problem
names its row and column; a file with any problem gives no timeline at all.
"""

from __future__ import annotations

from partenariat.tabular import UNREADABLE, TabularError, read_table
from partenariat.timeline.graph import Chain
from partenariat.timeline.model import (
    EFFECT_CODE,
    SETBACK_RTS,
    Effect,
    Event,
    EventStatus,
    Kind,
    Link,
    PartialDate,
    Timeline,
)
from partenariat.timeline.problems import Problem, TimelineError, _l
from questionnaires import Instrument

COLUMNS = ("ref", "date", "title", "description", "actors", "evidence", "rt", "kind", "status", "leads_to")
REQUIRED = ("ref", "date", "title", "rt")
SEPARATOR = ";"
MAX_PROBLEMS = 50



def _unreadable(error: TabularError) -> TimelineError:
    if error.code == "extra_cells":
        return TimelineError([Problem(_l("this row has more cells than the header has columns."), row=int(error.detail))])
    message = UNREADABLE[error.code]
    return TimelineError([Problem(message, {"detail": error.detail or "?"} if "%(detail)s" in message else {})])


def _date(cells: dict, number: int, non_text: dict) -> tuple[PartialDate | None, Problem | None]:
    text = cells["date"]
    # A spreadsheet may have turned a typed date into a date cell: its day is then exact.
    if non_text.get((number, "date")) == "date":
        text = text[:10]
    try:
        return PartialDate.parse(text), None
    except ValueError:
        return None, Problem(_l("%(value)r is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (a real date)."),
                             {"value": cells["date"]}, number, "date")


def parse(data: bytes, filename: str, instrument: Instrument, title: str = "", description: str = "") -> Timeline:
    """The file as a Timeline, or TimelineError listing every problem with its row and column."""
    try:
        table = read_table(data, filename)
    except TabularError as error:
        raise _unreadable(error) from None
    problems = [Problem(_l("this column is missing."), column=name) for name in REQUIRED if name not in table.header]
    problems += [Problem(_l("unknown column."), column=name) for name in table.header if name and name not in COLUMNS]
    if problems:
        raise TimelineError(problems)

    events, effects, pending_links = [], [], []
    first_row: dict[str, int] = {}
    for number, raw in table.rows:
        cells = {name: raw.get(name, "") for name in COLUMNS}
        row_problems = []
        ref = cells["ref"]
        if not ref:
            row_problems.append(Problem(_l("every row needs a ref."), row=number, column="ref"))
        elif ref in first_row:
            row_problems.append(Problem(_l("the ref %(ref)s is already used on row %(other)s."),
                                        {"ref": ref, "other": first_row[ref]}, number, "ref"))
        else:
            first_row[ref] = number
        date, problem = _date(cells, number, table.non_text)
        if problem:
            row_problems.append(problem)
        if not cells["title"]:
            row_problems.append(Problem(_l("every row needs a title."), row=number, column="title"))
        rt = cells["rt"].upper()
        kind_text = cells["kind"].lower()
        status_text = cells["status"].lower()
        is_effect = rt == EFFECT_CODE
        if not is_effect and rt not in instrument.rts:
            row_problems.append(Problem(_l("%(value)r is not an RT: write RT01 to RT12, or %(effect)s for an effect."),
                                        {"value": cells["rt"], "effect": EFFECT_CODE}, number, "rt"))
        if is_effect:
            for column, text in (("kind", kind_text), ("status", status_text)):
                if text:
                    row_problems.append(Problem(_l("an effect has no %(column)s: leave this cell empty."),
                                                {"column": column}, number, column))
        kinds = [k.value for k in Kind]
        if kind_text and kind_text not in kinds:
            row_problems.append(Problem(_l("%(value)r is not a kind: write %(choices)s."),
                                        {"value": cells["kind"], "choices": " / ".join(kinds)}, number, "kind"))
        elif kind_text == Kind.SETBACK and rt in instrument.rts and rt not in SETBACK_RTS:
            row_problems.append(Problem(_l("a setback is only possible on %(rts)s, not on %(rt)s."),
                                        {"rts": ", ".join(SETBACK_RTS), "rt": rt}, number, "kind"))
        statuses = [s.value for s in EventStatus]
        if status_text and status_text not in statuses:
            row_problems.append(Problem(_l("%(value)r is not a status: write %(choices)s."),
                                        {"value": cells["status"], "choices": " / ".join(statuses)}, number, "status"))
        targets = list(dict.fromkeys(t.strip() for t in cells["leads_to"].split(SEPARATOR) if t.strip()))
        if is_effect and targets:
            row_problems.append(Problem(_l("an effect ends a chain: it cannot lead to %(refs)s."),
                                        {"refs": ", ".join(targets)}, number, "leads_to"))
        if not row_problems:
            if is_effect:
                effects.append(Effect(ref=ref, date=date, title=cells["title"], description=cells["description"],
                                      evidence=cells["evidence"]))
            else:
                events.append(Event(ref=ref, date=date, title=cells["title"], rt=rt,
                                    kind=Kind(kind_text or Kind.RESULT), status=EventStatus(status_text or EventStatus.DONE),
                                    description=cells["description"], actors=cells["actors"], evidence=cells["evidence"]))
        pending_links += [(number, Link(ref, target), not row_problems) for target in targets]
        problems += row_problems
        if len(problems) >= MAX_PROBLEMS:
            raise TimelineError(problems[:MAX_PROBLEMS])

    # Links are checked once every ref is known, in file order, so that a cycle is reported on
    # the row whose link would close it.
    known = {node.ref for node in (*events, *effects)}
    chain = Chain((e.ref for e in events), (e.ref for e in effects))
    links = []
    for number, link, source_ok in pending_links:
        if link.target not in known:
            message = (_l("%(target)s is not a ref of this file.") if link.target not in first_row
                       else _l("%(target)s cannot be linked, as its own row has problems."))
            problems.append(Problem(message, {"target": link.target}, number, "leads_to"))
            continue
        if not source_ok:
            continue
        problem = chain.check(link)
        if problem is not None:
            problems.append(Problem(problem.message, problem.params, number, "leads_to"))
            continue
        chain.add(link)
        links.append(link)
    if problems:
        raise TimelineError(problems[:MAX_PROBLEMS])
    if not events and not effects:
        raise TimelineError([Problem(_l("The file has a header but no event or effect rows."))])
    return Timeline(title=title, description=description, events=tuple(events), effects=tuple(effects),
                    links=tuple(links))
