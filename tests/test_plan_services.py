"""The retreat and the action plan in the database (SPEC §9): the retreat reads a release,
readings never count, statuses change with dated notes, actions are carried forward with
their history, followed up during the year, turned into events, and looked back on next
year with the movement of their targets. Both engines; numbers worked out by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from partenariat.models import Action, ActionNote, Answer, Controversy, ControversyStatus, Project, Reading, Response
from partenariat.plan.model import ActionFields, ActionStatus, PlanRefused, TargetKind, TargetRef
from partenariat.services import plan
from partenariat.services import portrait as portraits
from tests import factories

ITEM_C01 = TargetRef(TargetKind.ITEM, "C01")
COND1 = TargetRef(TargetKind.DIMENSION, "COND1")
RT01 = TargetRef(TargetKind.RT, "RT01")


def released(session, campaign, n, answers):
    factories.responses(session, campaign, n, answers=answers)
    return factories.release(session, campaign)


def two_years(session):
    """2025: release 1 has 3 × (C01 C, C02 A); the retreat reads it; release 2 adds
    3 × (C01 A, C02 A) after the retreat. 2026: release 1 has 3 × (C01 B, C02 A), release 2
    adds 3 × (C01 A, C02 C). Every other question is blank (no score)."""
    earlier = factories.campaign(session, year=2025)
    released(session, earlier, 3, {"C01": "C", "C02": "A"})
    plan.open_retreat(session, earlier.id, None)
    released(session, earlier, 3, {"C01": "A", "C02": "A"})
    later = factories.campaign(session, year=2026)
    released(session, later, 3, {"C01": "B", "C02": "A"})
    released(session, later, 3, {"C01": "A", "C02": "C"})
    return earlier, later


def fields(title="Inviter les résidents au comité", **options):
    return ActionFields(title=title, **options)


def test_a_retreat_reads_the_latest_release_and_preloads_its_focused_points(session):
    campaign = factories.campaign(session, year=2025)
    with pytest.raises(PlanRefused, match="faites d'abord une diffusion"):
        plan.open_retreat(session, campaign.id, None)
    assert plan.retreat_view(session, campaign.id) is None
    released(session, campaign, 3, {"C01": "C", "C02": "A"})
    retreat_id = plan.open_retreat(session, campaign.id, None)
    assert plan.open_retreat(session, campaign.id, None) == retreat_id  # opened once
    view = plan.retreat_view(session, campaign.id)
    assert view.release_number == 1 and view.method == "compiled"
    # C01: 3 C → weak, the only point (C02's 3 A is a strength, not a point).
    (point,) = view.points
    assert (point.position, point.dimension, point.codes) == (1, "COND1", ("C01",))
    assert point.items[0].counts.as_dict() == {"A": 0, "B": 0, "C": 3, "NSP": 0} and point.items[0].score == 0
    assert point.consensus is None


def test_the_collective_reading_never_changes_a_score(session):
    earlier, later = two_years(session)
    before = portraits.build(session, earlier)
    counts_before = portraits.answer_counts(session, [earlier.id])
    responses_before = session.scalar(select(func.count()).select_from(Response))
    answers_before = session.scalar(select(func.count()).select_from(Answer))
    view = plan.retreat_view(session, earlier.id)
    plan.save_retreat(session, earlier.id, held_on=date(2025, 5, 20), method="consensus",
                      participants="CDC des Érables\nCIUSSS\n", decisions="Ouvrir le comité.")
    for point in view.points:
        plan.save_reading(session, earlier.id, point.reading_id, consensus="a", reasons="Le groupe s'entend.",
                          dissent="Le CIUSSS nuance.", to_work_on=True)
    plan.add_action(session, earlier.id, fields(targets=(ITEM_C01,)))
    session.flush()
    after = portraits.build(session, earlier)
    assert after.portrait == before.portrait and after.counts == before.counts
    assert portraits.answer_counts(session, [earlier.id]) == counts_before
    assert session.scalar(select(func.count()).select_from(Response)) == responses_before
    assert session.scalar(select(func.count()).select_from(Answer)) == answers_before
    saved = plan.retreat_view(session, earlier.id)
    assert saved.points[0].consensus == "A" and saved.points[0].to_work_on
    assert saved.participant_list == ("CDC des Érables", "CIUSSS") and saved.method == "consensus"


def test_a_reading_refuses_a_value_off_the_scale_and_another_retreats_point(session):
    earlier, later = two_years(session)
    plan.open_retreat(session, later.id, None)
    other_point = plan.retreat_view(session, later.id).points[0].reading_id
    with pytest.raises(PlanRefused):
        plan.save_reading(session, earlier.id, other_point, consensus="A", reasons="", dissent="", to_work_on=False)
    point = plan.retreat_view(session, earlier.id).points[0].reading_id
    with force_locale("fr"), pytest.raises(PlanRefused, match="A, B ou C"):
        plan.save_reading(session, earlier.id, point, consensus="NSP", reasons="", dissent="", to_work_on=False)
    assert session.get(Reading, point).consensus is None


def test_movement_from_the_retreat_release_to_the_next_campaigns_latest(session):
    earlier, later = two_years(session)
    action_id = plan.add_action(session, earlier.id, fields(targets=(ITEM_C01, COND1, RT01)))
    looked_back = plan.last_year(session, later.id)
    assert (looked_back.campaign_id, looked_back.year, looked_back.release_number) == (earlier.id, 2025, 1)
    assert looked_back.later_release_number == 2
    (entry,) = looked_back.actions
    action, moved = entry  # the pair the pages unpack
    assert entry.action.id == action.id == action_id and moved == entry.movements
    c01, cond1, rt01 = entry.movements
    # C01 at the retreat's release 1: 3 C → 0 (release 2's three A came after the retreat).
    # 2026, latest release: 3 B + 3 A → 50 × 9/6 = 75.
    assert (c01.before, c01.after, c01.delta, c01.comparable) == (0, 75, 75, True)
    # COND1 = mean(C01, C02): mean(0, 100) = 50 → mean(75, 50 × 6/6 = 50) = 62.5.
    assert (cond1.before, cond1.after, cond1.delta) == (50, Fraction(125, 2), Fraction(25, 2))
    # RT01 = (.5 × C01 + .5 × C02) / 1 (its other questions are blank): 50 → 62.5.
    assert (rt01.before, rt01.after) == (50, Fraction(125, 2))
    assert plan.last_year(session, earlier.id) is None  # nothing before 2025


def test_a_controversy_target_gives_its_register_status_then_and_now(session):
    earlier, later = two_years(session)
    entry = Controversy(partnership_id=earlier.partnership_id, title="Partage du local", means=[])
    session.add(entry)
    session.flush()
    session.add_all([ControversyStatus(controversy_id=entry.id, campaign_id=earlier.id, status="ouverte"),
                     ControversyStatus(controversy_id=entry.id, campaign_id=later.id, status="resolue")])
    plan.add_action(session, earlier.id, fields(targets=(TargetRef(TargetKind.CONTROVERSY, controversy_id=entry.id),)))
    (movement,) = plan.last_year(session, later.id).actions[0].movements
    assert (movement.status_before, movement.status_after, movement.label.fr) == ("ouverte", "resolue",
                                                                                  "Partage du local")


def test_without_a_release_next_year_the_movement_says_so(session):
    earlier = factories.campaign(session, year=2025)
    released(session, earlier, 3, {"C01": "C"})
    plan.open_retreat(session, earlier.id, None)
    plan.add_action(session, earlier.id, fields(targets=(ITEM_C01,)))
    later = factories.campaign(session, year=2026)
    looked_back = plan.last_year(session, later.id)
    (movement,) = looked_back.actions[0].movements
    assert looked_back.later_release_number is None
    assert (movement.comparable, movement.reason, movement.before) == (False, "no_release_after", 0)


def test_an_action_is_checked(session):
    earlier, _later = two_years(session)
    other = factories.campaign(session, partnership="Autre table", year=2025)
    foreign = Controversy(partnership_id=other.partnership_id, title="Ailleurs", means=[])
    session.add(foreign)
    session.flush()
    with force_locale("fr"):
        for bad, message in [
            (fields(title="  "), "titre"),
            (fields(expected_rt="RT13"), "RT13"),
            (fields(start_on=date(2025, 9, 1), due_on=date(2025, 6, 1)), "échéance"),
            (fields(targets=(TargetRef(TargetKind.ITEM, "C99"),)), "C99"),
            (fields(targets=(TargetRef(TargetKind.CONTROVERSY, controversy_id=foreign.id),)), "registre"),
            (fields(title="Deux\nlignes"), "seule ligne"),
        ]:
            with pytest.raises(PlanRefused, match=message):
                plan.add_action(session, earlier.id, bad)
    assert session.scalar(select(func.count()).select_from(Action)) == 0
    action_id = plan.add_action(session, earlier.id, fields(lead=" CDC ", targets=(ITEM_C01, ITEM_C01, COND1)))
    (view,) = plan.retreat_view(session, earlier.id).actions
    assert view.id == action_id and view.lead == "CDC" and view.targets == (ITEM_C01, COND1)
    session.expire_all()
    assert session.get(Action, action_id).campaign_id == earlier.id  # what a page's loader checks
    plan.update_action(session, action_id, fields(title="Autre titre", priority=True, targets=(RT01,)))
    (view,) = plan.retreat_view(session, earlier.id).actions
    assert (view.title, view.priority, view.targets) == ("Autre titre", True, (RT01,))


def test_more_than_five_priorities_is_flagged(session):
    earlier, _later = two_years(session)
    for n in range(5):
        plan.add_action(session, earlier.id, fields(title=f"Priorité {n}", priority=True))
    plan.add_action(session, earlier.id, fields(title="Pas une priorité"))
    view = plan.retreat_view(session, earlier.id)
    assert view.priority_count == 5 and not view.too_many_priorities
    plan.add_action(session, earlier.id, fields(title="Une de trop", priority=True))
    view = plan.retreat_view(session, earlier.id)
    assert view.priority_count == 6 and view.too_many_priorities


def test_a_status_change_writes_a_dated_note_and_a_refused_one_writes_nothing(session):
    earlier, _later = two_years(session)
    action_id = plan.add_action(session, earlier.id, fields())
    plan.change_status(session, action_id, "en_cours", "Première rencontre tenue.", date(2025, 6, 2))
    plan.add_note(session, action_id, "Deux résidents se joignent.", date(2025, 7, 1))
    with force_locale("fr"), pytest.raises(PlanRefused, match="avant le dernier \\(2 juin 2025\\)"):
        plan.change_status(session, action_id, "realisee", "Daté trop tôt", date(2025, 6, 1))
    plan.change_status(session, action_id, "realisee", "Le comité compte quatre résidents.", date(2025, 9, 30))
    with force_locale("fr"), pytest.raises(PlanRefused, match="définitif"):
        plan.change_status(session, action_id, "en_cours", "", date(2025, 10, 1))
    (view,) = plan.retreat_view(session, earlier.id).actions
    assert view.status == ActionStatus.DONE
    assert [(n.noted_on, n.status, n.text) for n in view.notes] == [
        (date(2025, 6, 2), ActionStatus.UNDER_WAY, "Première rencontre tenue."),
        (date(2025, 7, 1), None, "Deux résidents se joignent."),
        (date(2025, 9, 30), ActionStatus.DONE, "Le comité compte quatre résidents."),
    ]
    with pytest.raises(PlanRefused):
        plan.change_status(session, action_id, "finie", "", date(2025, 10, 1))
    with pytest.raises(PlanRefused):
        plan.add_note(session, action_id, "   ", date(2025, 10, 1))
    assert session.scalar(select(func.count()).select_from(ActionNote)) == 3


def test_the_database_refuses_a_status_off_the_list(session):
    earlier, _later = two_years(session)
    action_id = plan.add_action(session, earlier.id, fields())
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE action SET status = 'finie' WHERE id = :id"), {"id": action_id})
    session.rollback()
    with pytest.raises(IntegrityError):
        session.execute(text("INSERT INTO action_target (action_id, kind, code) VALUES (:id, 'controversy', 'C01')"),
                        {"id": action_id})
    session.rollback()


def test_carry_forward_keeps_the_history(session):
    earlier, later = two_years(session)
    unfinished = plan.add_action(session, earlier.id, fields(title="Ouvrir le comité", expected_rt="RT02",
                                                             due_on=date(2025, 12, 1), targets=(ITEM_C01,)))
    done = plan.add_action(session, earlier.id, fields(title="Tenir un forum"))
    plan.change_status(session, unfinished, "en_cours", "Invitations envoyées.", date(2025, 6, 1))
    plan.change_status(session, done, "realisee", "Forum tenu.", date(2025, 6, 1))
    plan.open_retreat(session, later.id, None)
    assert [a.id for a in plan.retreat_view(session, later.id).carry_candidates] == [unfinished]
    with pytest.raises(PlanRefused):
        plan.carry_forward(session, later.id, [done])
    (copy,) = plan.carry_forward(session, later.id, [unfinished])
    with pytest.raises(PlanRefused):
        plan.carry_forward(session, later.id, [unfinished])  # once
    view = plan.retreat_view(session, later.id)
    assert view.carry_candidates == ()
    (carried,) = view.actions
    assert carried.id == copy and carried.status == ActionStatus.UNDER_WAY and carried.due_on is None
    assert carried.targets == (ITEM_C01,) and carried.expected_rt == "RT02"
    (step,) = carried.carried_from
    assert (step.action_id, step.year, step.status) == (unfinished, 2025, ActionStatus.UNDER_WAY)
    assert [n.text for n in step.notes] == ["Invitations envoyées."]
    # The earlier copy is untouched and says where it went.
    earlier_view = next(a for a in plan.last_year(session, later.id).actions if a.action.id == unfinished).action
    assert earlier_view.carried_into == copy and [n.text for n in earlier_view.notes] == ["Invitations envoyées."]
    # Followed up once, as its latest copy.
    follow = plan.follow_up(session, earlier.partnership_id, date(2026, 6, 1))
    assert [a.id for a in follow.by_status[ActionStatus.UNDER_WAY]] == [copy]


def test_follow_up_buckets(session):
    earlier, _later = two_years(session)
    add = plan.add_action

    def action(title, due_on, *changes):
        action_id = add(session, earlier.id, fields(title=title, due_on=due_on))
        for status, when in changes:
            plan.change_status(session, action_id, status, "", when)
        return action_id

    late = action("En retard", date(2026, 5, 1), ("en_cours", date(2026, 1, 10)))
    done_now = action("Faite cette année", date(2026, 5, 1), ("realisee", date(2026, 4, 10)))
    done_before = action("Faite l'an passé", date(2025, 12, 1), ("realisee", date(2025, 11, 2)))
    coming = action("À venir", date(2026, 7, 1))
    dropped = action("Abandonnée", date(2026, 5, 1), ("abandonnee", date(2026, 2, 1)))
    follow = plan.follow_up(session, earlier.partnership_id, date(2026, 6, 15))
    assert [a.id for a in follow.overdue] == [late]
    assert [a.id for a in follow.done_this_year] == [done_now]
    assert [a.id for a in follow.by_status[ActionStatus.DONE]] == [done_now, done_before]
    assert [a.id for a in follow.by_status[ActionStatus.PLANNED]] == [coming]
    assert [a.id for a in follow.by_status[ActionStatus.DROPPED]] == [dropped]
    assert list(follow.by_status) == list(ActionStatus)
    other = factories.campaign(session, partnership="Autre table")
    assert all(not actions for actions in plan.follow_up(session, other.partnership_id, date(2026, 6, 15))
               .by_status.values())


def test_a_done_action_becomes_an_event_once(session):
    earlier, _later = two_years(session)
    project = Project(partnership_id=earlier.partnership_id, title="Marché")
    foreign = Project(partnership_id=factories.campaign(session, partnership="Autre table").partnership_id,
                      title="Ailleurs")
    session.add_all([project, foreign])
    session.flush()
    action_id = plan.add_action(session, earlier.id, fields(title="Ouvrir le comité aux résidents", lead="CDC",
                                                            how_we_will_know="Quatre résidents au comité"))
    with pytest.raises(PlanRefused, match="Seule une action réalisée"):
        plan.action_to_event(session, action_id, project.id)
    plan.change_status(session, action_id, "en_cours", "", date(2025, 6, 1))
    plan.change_status(session, action_id, "realisee", "Quatre résidents siègent.", date(2025, 10, 3))
    with pytest.raises(PlanRefused, match="résultat transitoire attendu"):
        plan.action_to_event(session, action_id, project.id)
    plan.update_action(session, action_id, fields(title="Ouvrir le comité aux résidents", lead="CDC",
                                                  expected_rt="RT07", how_we_will_know="Quatre résidents au comité"))
    with pytest.raises(PlanRefused):
        plan.action_to_event(session, action_id, foreign.id)
    event_id = plan.action_to_event(session, action_id, project.id)
    from partenariat.models import Event

    event = session.get(Event, event_id)
    assert (event.title, event.rt, event.date, event.status, event.actors, event.description) == (
        "Ouvrir le comité aux résidents", "RT07", date(2025, 10, 3), "realise", "CDC", "Quatre résidents siègent.")
    assert plan.retreat_view(session, earlier.id).actions[0].event_id == event_id
    with pytest.raises(PlanRefused, match="déjà un événement"):
        plan.action_to_event(session, action_id, project.id)


def test_the_plan_reads_no_response_row():
    """The plan's code handles counts of a release only: it never names a response, an answer
    or an invitation (who answered), so no view of it can show one partner's answers."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "partenariat"
    forbidden = {"Answer", "Response", "Invitation", "Draft", "individual_answers"}
    for path in [root / "services" / "plan.py", *sorted((root / "plan").glob("*.py"))]:
        names = {node.id for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Name)}
        names |= {alias.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                  if isinstance(node, ast.ImportFrom) for alias in node.names}
        assert not names & forbidden, (path.name, names & forbidden)


def test_funders_see_none_of_the_plan(app):
    import io

    from openpyxl import load_workbook

    from partenariat.services import exports

    def build(session):
        earlier, later = two_years(session)
        earlier.shared_with_funders = later.shared_with_funders = True
        plan.add_action(session, earlier.id, fields(title="Action secrète du plan", lead="Porteur secret"))

    factories.committed(app, build)
    with app.app_context():
        from partenariat.database import db

        data = exports.funder_workbook(db(), None, 3, "fr")
    cells = [str(c) for sheet in load_workbook(io.BytesIO(data)) for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]
    assert cells and not [c for c in cells if "secret" in c.lower() or "Plan d'action" in c]
