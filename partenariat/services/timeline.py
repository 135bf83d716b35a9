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
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from partenariat.models import Effect, Event, EventLink, Partnership, Project
from partenariat.models.timeline_entry import REF_LENGTH
from partenariat.services import audit
from partenariat.services.problems import FileRejected, Problem
from partenariat.timeline import importing, model
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
