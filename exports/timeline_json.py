"""A project's timeline as JSON (docs/timeline.md): events, links, effects, and the RT profile with
its proposed reading. Codes only, no interface text: the same file in every language.
Schema in docs/timeline.md."""

from __future__ import annotations

from partenariat.timeline.model import Timeline
from partenariat.timeline.profile import Profile, Tally, profile
from questionnaires import Instrument

SCHEMA_VERSION = 1


def _date(date) -> str | None:
    return None if date is None else date.iso()


def _tally(tally: Tally) -> dict:
    return {"rt": {code: counts.as_dict() for code, counts in tally.rts.items()},
            "domains": {code: counts.as_dict() for code, counts in tally.domains.items()}}


def profile_dict(result: Profile) -> dict:
    return {**_tally(result.total), "total": result.total.total.as_dict(), "n_projects": result.n_projects,
            "n_planned_not_counted": result.n_planned,
            "by_year": {str(year): _tally(tally) for year, tally in result.by_year.items()},
            "reading": result.reading.as_dict()}


def as_dict(timeline: Timeline, instrument: Instrument) -> dict:
    leads_to = timeline.targets
    return {
        "schema_version": SCHEMA_VERSION,
        "instrument_version": instrument.version,
        "project": {"title": timeline.title, "description": timeline.description,
                    "start": _date(timeline.start), "end": _date(timeline.end)},
        "events": [
            {"ref": e.ref, "date": e.date.iso(), "precision": e.date.precision.value, "title": e.title,
             "description": e.description, "actors": e.actors, "evidence": e.evidence, "rt": e.rt,
             "domain": instrument.rts[e.rt].domain, "kind": e.kind.value, "status": e.status.value,
             "controversy_id": e.controversy_id, "leads_to": list(leads_to.get(e.ref, ()))}
            for e in timeline.events
        ],
        "effects": [
            {"ref": e.ref, "date": e.date.iso(), "precision": e.date.precision.value, "title": e.title,
             "description": e.description, "evidence": e.evidence}
            for e in timeline.effects
        ],
        "links": [{"from": link.source, "to": link.target, "rationale": link.rationale} for link in timeline.links],
        "profile": profile_dict(profile(instrument, [timeline])),
    }
