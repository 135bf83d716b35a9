"""The demo's plan (issue 14): last year's retreat with its readings and four actions, and
this year's portrait showing how their targets moved."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from partenariat.models import Action, Campaign, Partnership, Reading, Retreat
from partenariat.plan.model import ActionStatus, TargetKind
from partenariat.scoring import score
from partenariat.services import demo, plan
from partenariat.services import portrait as portraits
from partenariat.services.plan import release_side

TODAY = date(2026, 12, 1)


def campaigns(session):
    partnership = session.scalar(select(Partnership).where(Partnership.name == demo.DEMO_PARTNERSHIP))
    return {c.year: c for c in session.scalars(select(Campaign).where(Campaign.partnership_id == partnership.id))}


def test_the_2025_retreat_and_the_2026_movement(session):
    demo.seed(session, today=TODAY)
    demo.seed(session, today=TODAY)  # a second seeding replaces the plan too
    session.flush()
    assert session.scalar(select(func.count()).select_from(Retreat)) == 1
    years = campaigns(session)
    retreat = plan.retreat_view(session, years[2025].id, today=TODAY)
    assert retreat.method == "compiled" and len(retreat.participant_list) == 6 and retreat.held_on.year == 2025
    read = {p.dimension: p.consensus for p in retreat.points if p.reasons}
    assert read == {"COND1": "C", "KEY1": None, "COND3": "B", "COND4": "C"}
    assert len(retreat.actions) == 4
    assert [a.status for a in retreat.actions] == [ActionStatus.DONE, ActionStatus.UNDER_WAY,
                                                   ActionStatus.POSTPONED, ActionStatus.PLANNED]
    kinds = {t.kind for a in retreat.actions for t in a.targets}
    assert kinds == {TargetKind.ITEM, TargetKind.DIMENSION}
    # Every target moves from the release the retreat read to 2026's latest release, with
    # the numbers of the two portraits.
    looked_back = plan.last_year(session, years[2026].id, today=TODAY)
    assert (looked_back.year, looked_back.later_year, len(looked_back.actions)) == (2025, 2026, 4)
    then = score(*release_side(session, years[2025], retreat.release_number))
    now = portraits.build(session, years[2026]).portrait
    for entry in looked_back.actions:
        for movement in entry.movements:
            table = "items" if movement.target.kind == TargetKind.ITEM else "dimensions"
            code = movement.target.code
            assert movement.comparable, code
            assert movement.before == getattr(then, table)[code].score
            assert movement.after == getattr(now, table)[code].score
            assert movement.delta == movement.after - movement.before
    # The 2026 campaign has no retreat yet: the coordinator opens it and carries forward.
    assert plan.retreat_view(session, years[2026].id) is None
    follow = plan.follow_up(session, years[2025].partnership_id, TODAY)
    assert [a.title for a in follow.overdue] == ["Une charte de gouvernance : qui décide quoi"]
    demo.remove_demo(session)
    for table in (Retreat, Reading, Action):
        assert session.scalar(select(func.count()).select_from(table)) == 0
