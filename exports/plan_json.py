"""A campaign's retreat and action plan as JSON (docs/plan.md): plain data in, no query.

``actions`` are the actions this campaign's retreat recorded; ``last_year`` holds the
earlier retreat's actions, each with the ``movement`` of its targets up to this campaign's
latest release. Scores are rounded to one decimal, as in every export. Nothing here is a
response: the distribution of a point is the release's counts, the reading is the group's.
"""

from __future__ import annotations

from exports.numbers import one_decimal
from partenariat.plan.model import ActionView, Movement, PlanExport, PointView, RetreatView, TargetRef

SCHEMA_VERSION = 1


def _day(value):
    return value.isoformat() if value else None


def _target(target: TargetRef) -> dict:
    return {"kind": target.kind.value, "code": target.code, "controversy_id": target.controversy_id}


def _action(action: ActionView) -> dict:
    return {
        "id": action.id,
        "campaign_id": action.campaign_id,
        "year": action.year,
        "title": action.title,
        "priority": action.priority,
        "expected_rt": action.expected_rt,
        "lead": action.lead,
        "start_on": _day(action.start_on),
        "due_on": _day(action.due_on),
        "how_we_will_know": action.how_we_will_know,
        "status": action.status.value,
        "overdue": action.overdue,
        "targets": [_target(t) for t in action.targets],
        "notes": [{"noted_on": _day(n.noted_on), "status": n.status.value if n.status else None, "text": n.text}
                  for n in action.notes],
        "carried_from": [{"action_id": s.action_id, "campaign_id": s.campaign_id, "year": s.year,
                          "status": s.status.value} for s in action.carried_from],
        "carried_into": action.carried_into,
        "event_id": action.event_id,
    }


def _movement(movement: Movement) -> dict:
    return {
        **_target(movement.target),
        "before": one_decimal(movement.before),
        "after": one_decimal(movement.after),
        "delta": one_decimal(movement.delta),
        "comparable": movement.comparable,
        "reason": movement.reason,
        "note": movement.note,
        "left_out": list(movement.left_out),
        "status_before": movement.status_before,
        "status_after": movement.status_after,
    }


def _point(point: PointView) -> dict:
    return {
        "position": point.position,
        "dimension": point.dimension,
        "items": list(point.codes),
        "distribution": {i.code: i.counts.as_dict() if i.counts else None for i in point.items},
        "consensus": point.consensus,
        "reasons": point.reasons,
        "dissent": point.dissent,
        "to_work_on": point.to_work_on,
    }


def _retreat(retreat: RetreatView | None) -> dict | None:
    if retreat is None:
        return None
    return {
        "release_number": retreat.release_number,
        "held_on": _day(retreat.held_on),
        "method": retreat.method.value,
        "participants": list(retreat.participant_list),
        "decisions": retreat.decisions,
        "priority_count": retreat.priority_count,
        "too_many_priorities": retreat.too_many_priorities,
        "points": [_point(p) for p in retreat.points],
    }


def as_dict(data: PlanExport) -> dict:
    earlier = data.last_year
    return {
        "schema_version": SCHEMA_VERSION,
        "partnership": data.partnership,
        "campaign_id": data.campaign_id,
        "year": data.year,
        "instrument_version": data.instrument.version,
        "retreat": _retreat(data.retreat),
        "actions": [_action(a) for a in data.retreat.actions] if data.retreat else [],
        "last_year": None if earlier is None else {
            "campaign_id": earlier.campaign_id,
            "year": earlier.year,
            "release_number": earlier.release_number,
            "later_release_number": earlier.later_release_number,
            "actions": [{**_action(m.action), "movement": [_movement(x) for x in m.movements]}
                        for m in earlier.actions],
        },
    }
