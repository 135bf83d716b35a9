"""Timelines in the database (SPEC §8): import a project's events, read them back, export them.

The pure core (``partenariat.timeline``) checks every rule; this module only maps its plain
data onto the tables and back. Only adds and flushes: the command (or request) commits once,
so a refused file or a failure half-way leaves the project as it was.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from partenariat.models import Controversy, Effect, Event, EventLink, Partnership, Project
from partenariat.models.timeline_entry import REF_LENGTH
from partenariat.services import audit
from partenariat.services.problems import FileRejected, Problem
from partenariat.timeline import graph, importing, model
from partenariat.timeline.problems import TimelineError
from questionnaires import load_instrument

log = logging.getLogger(__name__)

FORMATS = ("json", "svg", "png", "pdf", "xlsx")
TITLE_LENGTH = 200


class TimelineRefused(ValueError):
    """An unknown partnership, project or format; the message is for the user."""


@dataclass(frozen=True)
class Counts:
    events: int
    effects: int
    links: int


def _partnership(session: Session, name: str) -> Partnership:
    partnership = session.scalar(select(Partnership).where(Partnership.name == name.strip()))
    if partnership is None:
        raise TimelineRefused(_("No partnership is named %(name)s.", name=name))
    return partnership


def _project(session: Session, partnership: Partnership, title: str, for_update: bool = False) -> Project | None:
    query = select(Project).where(Project.partnership_id == partnership.id, Project.title == title.strip())
    # The row lock serialises two imports into one project on PostgreSQL (SQLite locks the
    # whole file on write anyway).
    return session.scalar(query.with_for_update() if for_update else query)


def _problems(error: TimelineError) -> FileRejected:
    """The pure core's problems in the language of the moment."""
    return FileRejected([Problem(_(p.message) % p.params if p.params else _(p.message), p.row, p.column)
                         for p in error.problems])


def _check_lengths(timeline: model.Timeline) -> None:
    long_refs = [node.ref for node in (*timeline.events, *timeline.effects) if len(node.ref) > REF_LENGTH]
    if long_refs:
        raise FileRejected([Problem(_("The ref %(ref)s is longer than %(n)s characters.", ref=ref[:20] + "…",
                                      n=REF_LENGTH), column="ref") for ref in long_refs])


def save_timeline(session: Session, partnership: Partnership, timeline: model.Timeline) -> Counts:
    """Store a checked timeline as the partnership's project of that title (created if new),
    replacing the project's events, effects and links."""
    title = timeline.title.strip()
    if not title or len(title) > TITLE_LENGTH:
        raise TimelineRefused(_("A project needs a title of 1 to %(n)s characters.", n=TITLE_LENGTH))
    _check_lengths(timeline)
    project = _project(session, partnership, title, for_update=True)
    if project is None:
        project = Project(partnership_id=partnership.id, title=title)
        session.add(project)
    project.description = timeline.description
    project.start_date, project.start_precision = _parts(timeline.start)
    project.end_date, project.end_precision = _parts(timeline.end)
    session.flush()
    # Links first: they point at the events and effects.
    for table in (EventLink, Event, Effect):
        session.execute(delete(table).where(table.project_id == project.id))
    events = {e.ref: Event(project_id=project.id, ref=e.ref, date=e.date.first_day, date_precision=e.date.precision,
                           title=e.title, description=e.description, actors=e.actors, evidence=e.evidence, rt=e.rt,
                           kind=e.kind, status=e.status, controversy_id=e.controversy_id)
              for e in timeline.events}
    effects = {e.ref: Effect(project_id=project.id, ref=e.ref, date=e.date.first_day,
                             date_precision=e.date.precision, title=e.title, description=e.description,
                             evidence=e.evidence)
               for e in timeline.effects}
    # Added in the timeline's order, so that ids keep it and reading back gives the same order.
    session.add_all([*events.values(), *effects.values()])
    session.flush()
    for link in timeline.links:
        target_event, target_effect = events.get(link.target), effects.get(link.target)
        session.add(EventLink(project_id=project.id, source_event_id=events[link.source].id,
                              target_event_id=target_event.id if target_event else None,
                              target_effect_id=target_effect.id if target_effect else None,
                              rationale=link.rationale))
    session.flush()
    return Counts(events=len(events), effects=len(effects), links=len(timeline.links))


def _parts(date: model.PartialDate | None):
    return (None, None) if date is None else (date.first_day, date.precision)


def _date(first_day, precision) -> model.PartialDate | None:
    return None if first_day is None else model.PartialDate.from_parts(first_day, precision)


def import_events(session: Session, partnership_name: str, project_title: str, data: bytes, filename: str) -> Counts:
    """Read the file (all or nothing, FileRejected listing every problem) and make it the
    project's timeline; the project is created if the partnership has none of that title."""
    partnership = _partnership(session, partnership_name)
    try:
        parsed = importing.parse(data, filename, load_instrument(), title=project_title.strip())
    except TimelineError as error:
        raise _problems(error) from None
    existing = _project(session, partnership, project_title)
    if existing is not None:
        # The file does not carry the project's own fields: keep them.
        parsed = model.Timeline(title=parsed.title, events=parsed.events, effects=parsed.effects, links=parsed.links,
                                description=existing.description,
                                start=_date(existing.start_date, existing.start_precision),
                                end=_date(existing.end_date, existing.end_precision))
    counts = save_timeline(session, partnership, parsed)
    audit.record(session, "import_events", partnership_id=partnership.id, project=parsed.title, filename=filename,
                 events=counts.events, effects=counts.effects, links=counts.links)
    log.info("timeline imported into %r of partnership %s: %s", parsed.title, partnership.id, counts)
    return counts


def load_timeline(session: Session, partnership_id: int, project_id: int) -> model.Timeline:
    """The project as plain data for the exports (events, effects and links in stored order)."""
    project = session.get(Project, project_id)
    if project is None or project.partnership_id != partnership_id:
        raise TimelineRefused(_("This partnership has no such project."))
    events = session.scalars(select(Event).where(Event.project_id == project_id).order_by(Event.id)).all()
    effects = session.scalars(select(Effect).where(Effect.project_id == project_id).order_by(Effect.id)).all()
    links = session.scalars(select(EventLink).where(EventLink.project_id == project_id).order_by(EventLink.id)).all()
    event_refs = {e.id: e.ref for e in events}
    effect_refs = {e.id: e.ref for e in effects}
    return model.Timeline(
        title=project.title, description=project.description,
        start=_date(project.start_date, project.start_precision), end=_date(project.end_date, project.end_precision),
        events=tuple(model.Event(ref=e.ref, date=model.PartialDate.from_parts(e.date, e.date_precision), title=e.title,
                                 rt=e.rt, kind=e.kind, status=e.status, description=e.description, actors=e.actors,
                                 evidence=e.evidence, controversy_id=e.controversy_id) for e in events),
        effects=tuple(model.Effect(ref=e.ref, date=model.PartialDate.from_parts(e.date, e.date_precision),
                                   title=e.title, description=e.description, evidence=e.evidence) for e in effects),
        links=tuple(model.Link(source=event_refs[link.source_event_id],
                               target=event_refs[link.target_event_id] if link.target_event_id is not None
                               else effect_refs[link.target_effect_id],
                               rationale=link.rationale) for link in links),
    )


def export_timeline(session: Session, partnership_name: str, project_title: str, fmt: str, lang: str) -> bytes:
    """The project's timeline as a file: json, svg, png, pdf or xlsx."""
    if fmt not in FORMATS:
        raise TimelineRefused(_("The output file must end in %(formats)s.",
                                formats=", ".join(f".{f}" for f in FORMATS)))
    partnership = _partnership(session, partnership_name)
    project = _project(session, partnership, project_title)
    if project is None:
        raise TimelineRefused(_("The partnership %(name)s has no project titled %(title)s.",
                                name=partnership.name, title=project_title))
    timeline = load_timeline(session, partnership.id, project.id)
    instrument = load_instrument()
    if fmt == "json":
        from exports import timeline_json

        return json.dumps(timeline_json.as_dict(timeline, instrument), ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "svg":
        from exports import timeline_svg

        return timeline_svg.render(timeline, instrument, lang)
    if fmt == "xlsx":
        from exports import timeline_workbook
        from partenariat.timeline.questions import load_questions

        return timeline_workbook.build(timeline, instrument, lang, grid=load_questions())
    from exports import timeline_images

    return timeline_images.render(timeline, instrument, lang, fmt=fmt)


def remove_projects(session: Session, partnership_id: int) -> None:
    """Delete a partnership's projects and everything in them (links first, then nodes)."""
    projects = select(Project.id).where(Project.partnership_id == partnership_id)
    for table in (EventLink, Event, Effect):
        session.execute(delete(table).where(table.project_id.in_(projects)))
    session.execute(delete(Project).where(Project.partnership_id == partnership_id))
    session.flush()


# ----- The coordinator's pages: one project, one event, effect or link at a time -----------


class FieldRefused(TimelineRefused):
    """A value the rules of SPEC §8 refuse; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ProjectFields:
    title: str
    description: str = ""
    start: model.PartialDate | None = None
    end: model.PartialDate | None = None


@dataclass(frozen=True)
class EventFields:
    date: model.PartialDate
    title: str
    rt: str
    kind: model.Kind = model.Kind.RESULT
    status: model.EventStatus = model.EventStatus.DONE
    description: str = ""
    actors: str = ""
    evidence: str = ""
    controversy_id: int | None = None


@dataclass(frozen=True)
class EffectFields:
    date: model.PartialDate
    title: str
    description: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    events: int
    effects: int


# The refs the pages give new entries, in the style of the demo and of hand-made files
# (E01, E02… for events, FX1, FX2… for effects); a file's own refs are kept as they are.
EVENT_REF_PREFIX, EFFECT_REF_PREFIX = "E", "FX"


def projects(session: Session, partnership_id: int) -> list[ProjectSummary]:
    """The partnership's projects by title, with how many events and effects each has."""
    found = session.scalars(select(Project).where(Project.partnership_id == partnership_id)
                            .order_by(Project.title, Project.id)).all()
    counts = {}
    for table in (Event, Effect):
        counts[table] = dict(session.execute(
            select(table.project_id, func.count()).where(table.project_id.in_([p.id for p in found]))
            .group_by(table.project_id)).all())
    return [ProjectSummary(p, counts[Event].get(p.id, 0), counts[Effect].get(p.id, 0)) for p in found]


def _check_project(session: Session, partnership_id: int, fields: ProjectFields, project_id: int | None) -> str:
    title = fields.title.strip()
    if not title or len(title) > TITLE_LENGTH:
        raise FieldRefused("title", _("A project needs a title of 1 to %(n)s characters.", n=TITLE_LENGTH))
    same = select(Project.id).where(Project.partnership_id == partnership_id, Project.title == title)
    if session.scalar(same.where(Project.id != project_id) if project_id else same) is not None:
        raise FieldRefused("title", _("The partnership already has a project titled %(title)s.", title=title))
    try:
        # The pure core's rule on the project's dates (the end may not come before the start).
        graph.build(title, start=fields.start, end=fields.end)
    except TimelineError as error:
        raise FieldRefused("end", _(error.problems[0].message) % error.problems[0].params) from None
    return title


def _set_project(project: Project, title: str, fields: ProjectFields) -> None:
    project.title = title
    project.description = fields.description.strip()
    project.start_date, project.start_precision = _parts(fields.start)
    project.end_date, project.end_precision = _parts(fields.end)


def create_project(session: Session, partnership_id: int, fields: ProjectFields) -> Project:
    title = _check_project(session, partnership_id, fields, None)
    project = Project(partnership_id=partnership_id, title=title)
    _set_project(project, title, fields)
    session.add(project)
    session.flush()
    return project


def update_project(session: Session, project: Project, fields: ProjectFields) -> None:
    _set_project(project, _check_project(session, project.partnership_id, fields, project.id), fields)
    session.flush()


def project_dates(project: Project) -> tuple[model.PartialDate | None, model.PartialDate | None]:
    return _date(project.start_date, project.start_precision), _date(project.end_date, project.end_precision)


def _refs(session: Session, project_id: int) -> set[str]:
    """Every ref of the project: events and effects share one namespace."""
    return {*session.scalars(select(Event.ref).where(Event.project_id == project_id)),
            *session.scalars(select(Effect.ref).where(Effect.project_id == project_id))}


def _next_ref(session: Session, project_id: int, prefix: str) -> str:
    used = _refs(session, project_id)
    # ASCII digits only: a ref such as "E²" passes str.isdigit but not int.
    numbers = [int(ref[len(prefix):]) for ref in used
               if ref.startswith(prefix) and ref[len(prefix):].isascii() and ref[len(prefix):].isdigit()]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number:02d}" in used:
        number += 1
    return f"{prefix}{number:02d}"


def _check_event(session: Session, project: Project, fields: EventFields) -> None:
    if not fields.title.strip():
        raise FieldRefused("title", _("Give the event a title."))
    if fields.rt not in load_instrument().rts:
        raise FieldRefused("rt", _("Pick one of the twelve RT cards."))
    if model.Kind(fields.kind) is model.Kind.SETBACK and fields.rt not in model.SETBACK_RTS:
        raise FieldRefused("kind", _("A setback is only possible on %(rts)s; %(rt)s is always a result.",
                                     rts=", ".join(model.SETBACK_RTS), rt=fields.rt))
    if fields.controversy_id is not None:
        if fields.rt != CONTROVERSY_RT:
            raise FieldRefused("controversy", _("Only an %(rt)s event (working out controversies) can be linked to "
                                                "a controversy of the register.", rt=CONTROVERSY_RT))
        controversy = session.get(Controversy, fields.controversy_id)
        if controversy is None or controversy.partnership_id != project.partnership_id:
            raise FieldRefused("controversy", _("This controversy is not in the partnership's register."))


# The RT whose events may point at an entry of the controversy register.
CONTROVERSY_RT = "RT03"


def _set_event(event: Event, fields: EventFields) -> None:
    event.date, event.date_precision = fields.date.first_day, fields.date.precision
    event.title = fields.title.strip()
    event.rt, event.kind, event.status = fields.rt, model.Kind(fields.kind), model.EventStatus(fields.status)
    event.description, event.actors, event.evidence = fields.description, fields.actors, fields.evidence
    event.controversy_id = fields.controversy_id


def add_event(session: Session, project: Project, fields: EventFields) -> Event:
    _check_event(session, project, fields)
    event = Event(project_id=project.id, ref=_next_ref(session, project.id, EVENT_REF_PREFIX))
    _set_event(event, fields)
    session.add(event)
    session.flush()
    return event


def update_event(session: Session, project: Project, event: Event, fields: EventFields) -> None:
    _check_event(session, project, fields)
    _set_event(event, fields)
    session.flush()


def _set_effect(effect: Effect, fields: EffectFields) -> None:
    if not fields.title.strip():
        raise FieldRefused("title", _("Give the effect a title."))
    effect.date, effect.date_precision = fields.date.first_day, fields.date.precision
    effect.title = fields.title.strip()
    effect.description, effect.evidence = fields.description, fields.evidence


def add_effect(session: Session, project: Project, fields: EffectFields) -> Effect:
    effect = Effect(project_id=project.id, ref=_next_ref(session, project.id, EFFECT_REF_PREFIX))
    _set_effect(effect, fields)
    session.add(effect)
    session.flush()
    return effect


def update_effect(session: Session, effect: Effect, fields: EffectFields) -> None:
    _set_effect(effect, fields)
    session.flush()


def links_touching(session: Session, entry: Event | Effect) -> list[EventLink]:
    """The links from or to an event, or to an effect (what deleting it also deletes)."""
    if isinstance(entry, Effect):
        condition = EventLink.target_effect_id == entry.id
    else:
        condition = or_(EventLink.source_event_id == entry.id, EventLink.target_event_id == entry.id)
    return list(session.scalars(select(EventLink).where(condition).order_by(EventLink.id)))


def delete_entry(session: Session, entry: Event | Effect) -> int:
    """Delete an event or an effect with its links; returns how many links went with it."""
    links = links_touching(session, entry)
    for link in links:
        session.delete(link)
    session.flush()
    session.delete(entry)
    session.flush()
    return len(links)


def delete_link(session: Session, link: EventLink) -> None:
    session.delete(link)
    session.flush()


def _quoted(title: str) -> str:
    return _("“%(title)s”", title=title)


def add_link(session: Session, project: Project, source: Event, target: Event | Effect, rationale: str = "") -> EventLink:
    """Record that ``source`` led to ``target``, unless the chain rule refuses it (a cycle, an
    effect as a start, the same link twice); the refusal names both ends by their titles."""
    # The row lock keeps two links added at once from closing a cycle together (PostgreSQL;
    # SQLite locks the whole file on write).
    session.scalar(select(Project.id).where(Project.id == project.id).with_for_update())
    timeline = load_timeline(session, project.partnership_id, project.id)
    problem = graph.chain(timeline).check(model.Link(source.ref, target.ref))
    if problem is not None:
        titles = {node.ref: _quoted(node.title) for node in (*timeline.events, *timeline.effects)}
        params = {key: titles.get(value, value) for key, value in problem.params.items()}
        if "path" in problem.params:
            params["path"] = " → ".join(titles.get(ref, ref) for ref in problem.params["path"].split(" → "))
        raise FieldRefused("target", _("This link was not added: %(reason)s", reason=_(problem.message) % params))
    link = EventLink(project_id=project.id, source_event_id=source.id,
                     target_event_id=target.id if isinstance(target, Event) else None,
                     target_effect_id=target.id if isinstance(target, Effect) else None, rationale=rationale.strip())
    session.add(link)
    session.flush()
    return link


@dataclass(frozen=True)
class Entries:
    """A project's rows for the pages, in date order, and its links with both ends."""

    events: list[Event]
    effects: list[Effect]
    links: list[tuple[EventLink, Event, Event | Effect]]


def entries(session: Session, project_id: int) -> Entries:
    events = session.scalars(select(Event).where(Event.project_id == project_id)
                             .order_by(Event.date, Event.id)).all()
    effects = session.scalars(select(Effect).where(Effect.project_id == project_id)
                              .order_by(Effect.date, Effect.id)).all()
    by_event, by_effect = {e.id: e for e in events}, {e.id: e for e in effects}
    links = session.scalars(select(EventLink).where(EventLink.project_id == project_id).order_by(EventLink.id)).all()
    return Entries(list(events), list(effects), [
        (link, by_event[link.source_event_id],
         by_event[link.target_event_id] if link.target_event_id is not None else by_effect[link.target_effect_id])
        for link in links])


def events_of_controversy(session: Session, controversy_id: int) -> list[tuple[Event, Project]]:
    """The events of any of the partnership's projects that point at this register entry."""
    return list(session.execute(select(Event, Project).join(Project, Project.id == Event.project_id)
                                .where(Event.controversy_id == controversy_id)
                                .order_by(Event.date, Event.id)).all())


def import_into_project(session: Session, project: Project, data: bytes, filename: str) -> Counts:
    """The page's upload: the same all-or-nothing import as ``import-events``, into this project."""
    partnership = session.get(Partnership, project.partnership_id)
    return import_events(session, partnership.name, project.title, data, filename)
