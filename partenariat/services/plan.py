"""The retreat and the action plan in the database (SPEC §9): record, follow up, look back.

The pure rules (``partenariat.plan``) decide what an action may become and what moved; this
module maps them onto the tables and hands back plain data (``partenariat.plan.model``).
Only adds and flushes: the request or the command commits once. Refusals are
``PlanRefused`` with the message in the user's language.

What the retreat records is the group's work — readings, decisions, actions, organisations —
never a partner's response: nothing here reads an individual answer, and the readings never
enter a score.
"""

from __future__ import annotations

import logging
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from partenariat.models import (
    Action,
    ActionNote,
    ActionTarget,
    Campaign,
    Controversy,
    ControversyStatus,
    Event,
    Project,
    Reading,
    Retreat,
)
from partenariat.plan import movement
from partenariat.plan.model import (
    CONSENSUS_VALUES,
    ActionFields,
    ActionMovement,
    ActionStatus,
    ActionView,
    EarlierStep,
    FollowUp,
    LastYear,
    NoteView,
    PlanExport,
    PlanRefused,
    PointItem,
    PointView,
    RetreatMethod,
    RetreatView,
    TargetKind,
    TargetRef,
    is_final,
    is_overdue,
    transition_refusal,
)
from partenariat.scoring import score
from partenariat.scoring.retreat import retreat_agenda
from partenariat.services import releases
from partenariat.services.portrait import answer_counts
from partenariat.statuses import label
from partenariat.timeline.model import EventStatus, Kind, Precision
from partenariat.validation import single_line_problem
from questionnaires import load_instrument

log = logging.getLogger(__name__)

TITLE_LENGTH = 300  # the action's title and its lead (the columns' lengths)


# --- reading the rows -------------------------------------------------------------------


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise PlanRefused(_("No campaign has the id %(id)s.", id=campaign_id))
    return campaign


def _retreat(session: Session, campaign_id: int) -> Retreat | None:
    return session.scalar(select(Retreat).where(Retreat.campaign_id == campaign_id))


def _opened(session: Session, campaign_id: int) -> Retreat:
    _campaign(session, campaign_id)
    retreat = _retreat(session, campaign_id)
    if retreat is None:
        raise PlanRefused(_("Open the campaign's retreat first."))
    return retreat


def _action(session: Session, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise PlanRefused(_("No action has the id %(id)s.", id=action_id))
    return action


def release_side(session: Session, campaign: Campaign, release_number: int | None) -> movement.Side:
    """(instrument, counts, responses, k) of release ``release_number`` (None: the latest)."""
    counted = answer_counts(session, [campaign.id], up_to_release=release_number)
    n, counts = counted.get(campaign.id, (0, {}))
    return load_instrument(campaign.instrument_version), counts, n, campaign.k


def _earlier_retreat(session: Session, campaign: Campaign) -> tuple[Campaign, Retreat] | None:
    """The partnership's latest campaign before this one (by year, then creation) that held a
    retreat: the one whose actions this campaign looks back on and may carry forward."""
    row = session.execute(
        select(Campaign, Retreat).join(Retreat, Retreat.campaign_id == Campaign.id)
        .where(Campaign.partnership_id == campaign.partnership_id, Campaign.id != campaign.id,
               (Campaign.year < campaign.year) | ((Campaign.year == campaign.year) & (Campaign.id < campaign.id)))
        .order_by(Campaign.year.desc(), Campaign.id.desc()).limit(1)).first()
    return None if row is None else (row[0], row[1])


# --- plain data out -----------------------------------------------------------------------


def _notes(session: Session, action_ids: list[int]) -> dict[int, tuple[NoteView, ...]]:
    notes: dict[int, list[NoteView]] = {i: [] for i in action_ids}
    for note in session.scalars(select(ActionNote).where(ActionNote.action_id.in_(action_ids))
                                .order_by(ActionNote.noted_on, ActionNote.id)):
        notes[note.action_id].append(NoteView(note.noted_on, note.status, note.text))
    return {i: tuple(n) for i, n in notes.items()}


def _targets(session: Session, action_ids: list[int]) -> dict[int, tuple[TargetRef, ...]]:
    targets: dict[int, list[TargetRef]] = {i: [] for i in action_ids}
    for target in session.scalars(select(ActionTarget).where(ActionTarget.action_id.in_(action_ids))
                                  .order_by(ActionTarget.id)):
        targets[target.action_id].append(TargetRef(TargetKind(target.kind), target.code, target.controversy_id))
    return {i: tuple(t) for i, t in targets.items()}


def _chain(session: Session, action: Action) -> tuple[EarlierStep, ...]:
    """The earlier copies of a carried action, nearest first, each with its notes."""
    steps = []
    seen = {action.id}
    current = action.carried_from_id
    while current is not None and current not in seen:
        seen.add(current)
        earlier = session.get(Action, current)
        if earlier is None:
            break
        campaign = session.scalar(select(Campaign).join(Retreat, Retreat.campaign_id == Campaign.id)
                                  .where(Retreat.id == earlier.retreat_id))
        steps.append(EarlierStep(earlier.id, campaign.id, campaign.year, ActionStatus(earlier.status),
                                 _notes(session, [earlier.id])[earlier.id]))
        current = earlier.carried_from_id
    return tuple(steps)


def _views(session: Session, actions: list[Action], today: date) -> tuple[ActionView, ...]:
    ids = [a.id for a in actions]
    if not ids:
        return ()
    notes, targets = _notes(session, ids), _targets(session, ids)
    campaigns = {retreat_id: (campaign_id, year) for retreat_id, campaign_id, year in session.execute(
        select(Retreat.id, Campaign.id, Campaign.year).join(Campaign, Campaign.id == Retreat.campaign_id)
        .where(Retreat.id.in_({a.retreat_id for a in actions})))}
    successors = dict(session.execute(select(Action.carried_from_id, Action.id)
                                      .where(Action.carried_from_id.in_(ids))).all())
    return tuple(
        ActionView(id=a.id, campaign_id=campaigns[a.retreat_id][0], year=campaigns[a.retreat_id][1], title=a.title,
                   priority=a.priority, expected_rt=a.expected_rt, lead=a.lead, start_on=a.start_on, due_on=a.due_on,
                   how_we_will_know=a.how_we_will_know, status=ActionStatus(a.status), targets=targets[a.id],
                   notes=notes[a.id], carried_from=_chain(session, a), event_id=a.event_id,
                   overdue=is_overdue(a.status, a.due_on, today), carried_into=successors.get(a.id))
        for a in actions)


def _retreat_actions(session: Session, retreat_id: int) -> list[Action]:
    return list(session.scalars(select(Action).where(Action.retreat_id == retreat_id).order_by(Action.id)))


def _carry_candidates(session: Session, campaign: Campaign, retreat: Retreat) -> list[Action]:
    """The earlier retreat's actions neither done nor dropped, not yet carried into this one."""
    earlier = _earlier_retreat(session, campaign)
    if earlier is None:
        return []
    carried = set(session.scalars(select(Action.carried_from_id).where(Action.retreat_id == retreat.id,
                                                                      Action.carried_from_id.is_not(None))))
    return [a for a in _retreat_actions(session, earlier[1].id) if not is_final(a.status) and a.id not in carried]


def retreat_view(session: Session, campaign_id: int, today: date | None = None) -> RetreatView | None:
    """The campaign's retreat with its points, readings and actions; None when not opened."""
    today = today or date.today()
    campaign = _campaign(session, campaign_id)
    retreat = _retreat(session, campaign_id)
    if retreat is None:
        return None
    side = release_side(session, campaign, retreat.release_number)
    instrument = side[0]
    portrait = score(*side)
    points = []
    for reading in session.scalars(select(Reading).where(Reading.retreat_id == retreat.id).order_by(Reading.position)):
        items = tuple(PointItem(code, instrument.items[code].statement, portrait.items[code].counts,
                                portrait.items[code].score)
                      for code in reading.codes if code in instrument.items)
        points.append(PointView(reading.id, reading.position, reading.codes, reading.dimension,
                                instrument.dimensions[reading.dimension].name, items, reading.consensus,
                                reading.reasons, reading.dissent, reading.to_work_on))
    return RetreatView(
        id=retreat.id, campaign_id=campaign.id, year=campaign.year, release_number=retreat.release_number,
        held_on=retreat.held_on, method=RetreatMethod(retreat.method), participants=retreat.participants,
        decisions=retreat.decisions, points=tuple(points),
        actions=_views(session, _retreat_actions(session, retreat.id), today),
        carry_candidates=_views(session, _carry_candidates(session, campaign, retreat), today),
    )


# --- the retreat --------------------------------------------------------------------------


def open_retreat(session: Session, campaign_id: int, actor_id: int | None) -> int:
    """The campaign's retreat (opened now if it was not): it reads the latest release, and
    its discussion points are those of that release's focused agenda."""
    campaign = _campaign(session, campaign_id)
    existing = _retreat(session, campaign_id)
    if existing is not None:
        return existing.id
    last = releases.latest(session, campaign.id)
    if last is None:
        raise PlanRefused(_("A retreat discusses a release: make a release of the responses first."))
    retreat = Retreat(campaign_id=campaign.id, release_number=last.number, method=RetreatMethod.COMPILED)
    session.add(retreat)
    session.flush()
    side = release_side(session, campaign, last.number)
    agenda = retreat_agenda(side[0], score(*side), campaign.focus)
    for position, point in enumerate(agenda.focus, start=1):
        session.add(Reading(retreat_id=retreat.id, position=position, dimension=point.dimension,
                            items=" ".join(point.items)))
    session.flush()
    log.info("campaign %s: retreat %s opened on release %s by account %s", campaign.id, retreat.id, last.number,
             actor_id)
    return retreat.id


def save_retreat(session: Session, campaign_id: int, *, held_on: date | None, method: str, participants: str,
                 decisions: str) -> None:
    retreat = _opened(session, campaign_id)
    try:
        chosen = RetreatMethod(method)
    except ValueError:
        raise PlanRefused(_("Choose one of the three ways of holding the retreat.")) from None
    retreat.held_on, retreat.method = held_on, chosen
    retreat.participants = "\n".join(line.strip() for line in (participants or "").splitlines() if line.strip())
    retreat.decisions = (decisions or "").strip()
    session.flush()


def save_reading(session: Session, campaign_id: int, reading_id: int, *, consensus: str | None, reasons: str,
                 dissent: str, to_work_on: bool) -> None:
    """The group's reading of one point. It is stored beside the responses, never among them."""
    retreat = _opened(session, campaign_id)
    reading = session.get(Reading, reading_id)
    if reading is None or reading.retreat_id != retreat.id:
        raise PlanRefused(_("This retreat has no such discussion point."))
    consensus = (consensus or "").strip().upper() or None
    if consensus is not None and consensus not in CONSENSUS_VALUES:
        raise PlanRefused(_("The group's reading is A, B or C, or none when it reached no consensus."))
    reading.consensus, reading.reasons, reading.dissent = consensus, (reasons or "").strip(), (dissent or "").strip()
    reading.to_work_on = bool(to_work_on)
    session.flush()


# --- actions ------------------------------------------------------------------------------


def _checked(session: Session, campaign: Campaign, fields: ActionFields) -> tuple[ActionFields, list[TargetRef]]:
    """The fields with their text trimmed, and their targets without repeats; PlanRefused
    names the first problem."""
    instrument = load_instrument(campaign.instrument_version)
    title, lead = (fields.title or "").strip(), (fields.lead or "").strip()
    if not title:
        raise PlanRefused(_("Give the action a title."))
    for text in (title, lead):
        if len(text) > TITLE_LENGTH:
            raise PlanRefused(_("The title and the lead hold at most %(n)s characters.", n=TITLE_LENGTH))
        problem = single_line_problem(text)
        if problem:
            raise PlanRefused(problem)
    if fields.expected_rt and fields.expected_rt not in instrument.rts:
        raise PlanRefused(_("%(code)s is not a transitional result (RT01 to RT12).", code=fields.expected_rt))
    if fields.start_on and fields.due_on and fields.due_on < fields.start_on:
        raise PlanRefused(_("The due date comes before the start date."))
    known = {TargetKind.ITEM: instrument.items, TargetKind.DIMENSION: instrument.dimensions,
             TargetKind.RT: instrument.rts}
    targets: list[TargetRef] = []
    for target in fields.targets:
        try:
            kind = TargetKind(target.kind)
        except ValueError:
            raise PlanRefused(_("An action targets questions, dimensions, RT or a controversy.")) from None
        if kind == TargetKind.CONTROVERSY:
            entry = session.get(Controversy, target.controversy_id) if target.controversy_id else None
            if entry is None or entry.partnership_id != campaign.partnership_id:
                raise PlanRefused(_("The partnership's register has no such controversy."))
            ref = TargetRef(kind, None, entry.id)
        else:
            code = (target.code or "").strip()
            if code not in known[kind]:
                raise PlanRefused(_("%(code)s is not in this campaign's questionnaire (as a %(kind)s).", code=code,
                                    kind=label(kind)))
            ref = TargetRef(kind, code, None)
        if ref not in targets:
            targets.append(ref)
    cleaned = ActionFields(title=title, priority=bool(fields.priority), expected_rt=fields.expected_rt or None,
                           lead=lead, start_on=fields.start_on, due_on=fields.due_on,
                           how_we_will_know=(fields.how_we_will_know or "").strip(), targets=tuple(targets))
    return cleaned, targets


def _write(session: Session, action: Action, fields: ActionFields, targets: list[TargetRef]) -> None:
    action.title, action.priority, action.expected_rt, action.lead = (fields.title, fields.priority,
                                                                      fields.expected_rt, fields.lead)
    action.start_on, action.due_on, action.how_we_will_know = fields.start_on, fields.due_on, fields.how_we_will_know
    session.flush()
    session.execute(delete(ActionTarget).where(ActionTarget.action_id == action.id))
    session.add_all([ActionTarget(action_id=action.id, kind=t.kind, code=t.code, controversy_id=t.controversy_id)
                     for t in targets])
    session.flush()


def _campaign_of(session: Session, action: Action) -> Campaign:
    return session.scalar(select(Campaign).join(Retreat, Retreat.campaign_id == Campaign.id)
                          .where(Retreat.id == action.retreat_id))


def add_action(session: Session, campaign_id: int, fields: ActionFields) -> int:
    retreat = _opened(session, campaign_id)
    fields, targets = _checked(session, _campaign(session, campaign_id), fields)
    action = Action(retreat_id=retreat.id, title=fields.title, status=ActionStatus.PLANNED)
    session.add(action)
    _write(session, action, fields, targets)
    return action.id


def update_action(session: Session, action_id: int, fields: ActionFields) -> None:
    action = _action(session, action_id)
    fields, targets = _checked(session, _campaign_of(session, action), fields)
    _write(session, action, fields, targets)


def change_status(session: Session, action_id: int, status: str, note: str, noted_on: date) -> None:
    """Move the action to ``status`` with a dated note (kept: that is the action's history)."""
    action = _action(session, action_id)
    try:
        new = ActionStatus(status)
    except ValueError:
        raise PlanRefused(_("Choose one of the statuses of an action.")) from None
    refusal = transition_refusal(action.status, new)
    if refusal:
        raise PlanRefused(_(refusal, old=label(ActionStatus(action.status)), new=label(new)))
    if noted_on is None:
        raise PlanRefused(_("Give the date of the change."))
    # The history reads in date order: a change dated before the last one would show a
    # status other than the action's own as the latest. (A plain note may be backdated.)
    last_change = session.scalar(select(func.max(ActionNote.noted_on))
                                 .where(ActionNote.action_id == action.id, ActionNote.status.is_not(None)))
    if last_change is not None and noted_on < last_change:
        raise PlanRefused(_("A change of status cannot be dated before the last one (%(date)s).",
                            date=format_date(last_change, "long")))
    action.status = new
    session.add(ActionNote(action_id=action.id, noted_on=noted_on, status=new, text=(note or "").strip()))
    session.flush()


def add_note(session: Session, action_id: int, text: str, noted_on: date) -> None:
    action = _action(session, action_id)
    if not (text or "").strip():
        raise PlanRefused(_("The note is empty."))
    if noted_on is None:
        raise PlanRefused(_("Give the date of the note."))
    session.add(ActionNote(action_id=action.id, noted_on=noted_on, status=None, text=text.strip()))
    session.flush()


def carry_forward(session: Session, campaign_id: int, action_ids: list[int]) -> list[int]:
    """Copy unfinished actions of the earlier retreat into this campaign's retreat, each
    pointing back at the one it continues (``carried_from_id``): the earlier copy keeps its
    notes, and the chain reads the whole history. The due date is left for this retreat to
    set again (last year's would make it overdue at once). Returns the new ids, in order."""
    campaign = _campaign(session, campaign_id)
    retreat = _opened(session, campaign_id)
    candidates = {a.id: a for a in _carry_candidates(session, campaign, retreat)}
    unknown = [i for i in action_ids if i not in candidates]
    if unknown:
        raise PlanRefused(_("Only the earlier retreat's actions that are neither done nor dropped, and not carried "
                            "yet, can be carried forward."))
    targets = _targets(session, list(candidates))
    made = []
    for action_id in dict.fromkeys(action_ids):
        earlier = candidates[action_id]
        copy = Action(retreat_id=retreat.id, title=earlier.title, priority=earlier.priority,
                      expected_rt=earlier.expected_rt, lead=earlier.lead, start_on=earlier.start_on, due_on=None,
                      how_we_will_know=earlier.how_we_will_know, status=earlier.status, carried_from_id=earlier.id)
        session.add(copy)
        session.flush()
        session.add_all([ActionTarget(action_id=copy.id, kind=t.kind, code=t.code, controversy_id=t.controversy_id)
                         for t in targets[earlier.id]])
        made.append(copy.id)
    session.flush()
    return made


# --- during the year ----------------------------------------------------------------------


def follow_up(session: Session, partnership_id: int, today: date) -> FollowUp:
    """Every current action of the partnership's retreats (one carried forward counts once,
    as its latest copy): by status, the overdue ones, and those done this calendar year."""
    superseded = select(Action.carried_from_id).where(Action.carried_from_id.is_not(None))
    actions = list(session.scalars(
        select(Action).join(Retreat, Retreat.id == Action.retreat_id).join(Campaign, Campaign.id == Retreat.campaign_id)
        .where(Campaign.partnership_id == partnership_id, Action.id.not_in(superseded))
        .order_by(Campaign.year, Action.id)))
    views = _views(session, actions, today)
    by_status = {status: tuple(v for v in views if v.status == status) for status in ActionStatus}
    done = tuple(v for v in views if v.status == ActionStatus.DONE and _done_on(v) and _done_on(v).year == today.year)
    return FollowUp(today=today, by_status=by_status, overdue=tuple(v for v in views if v.overdue),
                    done_this_year=done)


def _done_on(view: ActionView) -> date | None:
    """The date of the note that marked the action done (the latest, should there be two)."""
    dates = [n.noted_on for n in view.notes if n.status == ActionStatus.DONE]
    return max(dates) if dates else None


def action_to_event(session: Session, action_id: int, project_id: int) -> int:
    """A done action as a significant event of one of the partnership's projects (SPEC §8):
    its title, its expected RT, the date it was marked done, its lead as the actors."""
    action = _action(session, action_id)
    campaign = _campaign_of(session, action)
    project = session.get(Project, project_id)
    if project is None or project.partnership_id != campaign.partnership_id:
        raise PlanRefused(_("The partnership has no such project."))
    if action.event_id is not None:
        raise PlanRefused(_("This action is already an event of the timeline."))
    if action.status != ActionStatus.DONE:
        raise PlanRefused(_("Only a done action can become an event of the timeline."))
    if not action.expected_rt:
        raise PlanRefused(_("Say which transitional result the action was expected to bring before making it an "
                            "event: an event is read as one RT."))
    view = _views(session, [action], date.today())[0]
    # A status change always writes a note; a restored or hand-edited row may lack it.
    done_on = _done_on(view) or action.updated_at.date()
    done_note = next((n.text for n in reversed(view.notes) if n.status == ActionStatus.DONE), "")
    taken = set(session.scalars(select(Event.ref).where(Event.project_id == project.id)))
    ref, n = f"ACTION{action.id}", 1
    while ref in taken:
        n += 1
        ref = f"ACTION{action.id}-{n}"
    controversy = next((t.controversy_id for t in view.targets if t.kind == TargetKind.CONTROVERSY), None)
    event = Event(project_id=project.id, ref=ref, date=done_on, date_precision=Precision.DAY, title=action.title,
                  description=done_note, actors=action.lead, evidence=action.how_we_will_know, rt=action.expected_rt,
                  kind=Kind.RESULT, status=EventStatus.DONE, controversy_id=controversy)
    session.add(event)
    session.flush()
    action.event_id = event.id
    session.flush()
    log.info("action %s became event %s of project %s", action.id, event.id, project.id)
    return event.id


# --- next year ----------------------------------------------------------------------------


def _register(session: Session, targets, earlier: Campaign, later: Campaign) -> dict[int, movement.RegisterEntry]:
    ids = {t.controversy_id for t in targets if t.kind == TargetKind.CONTROVERSY}
    if not ids:
        return {}
    statuses = {(s.controversy_id, s.campaign_id): s.status for s in session.scalars(
        select(ControversyStatus).where(ControversyStatus.controversy_id.in_(ids),
                                        ControversyStatus.campaign_id.in_([earlier.id, later.id])))}
    return {c.id: movement.RegisterEntry(c.title, statuses.get((c.id, earlier.id)), statuses.get((c.id, later.id)))
            for c in session.scalars(select(Controversy).where(Controversy.id.in_(ids)))}


def last_year(session: Session, campaign_id: int, today: date | None = None) -> LastYear | None:
    """The actions of the earlier retreat with the movement of their targets, from the
    release that retreat read to this campaign's latest release; None without an earlier
    retreat."""
    campaign = _campaign(session, campaign_id)
    found = _earlier_retreat(session, campaign)
    if found is None:
        return None
    earlier, retreat = found
    latest = releases.latest(session, campaign.id)
    before = release_side(session, earlier, retreat.release_number)
    after = release_side(session, campaign, None) if latest else None
    views = _views(session, _retreat_actions(session, retreat.id), today or date.today())
    register = _register(session, [t for v in views for t in v.targets], earlier, campaign)
    return LastYear(
        campaign_id=earlier.id, year=earlier.year, release_number=retreat.release_number,
        later_campaign_id=campaign.id, later_year=campaign.year,
        later_release_number=latest.number if latest else None,
        actions=tuple(ActionMovement(v, movement.movements(v.targets, before, after, register)) for v in views),
        responses_before=before[2], responses_after=after[2] if after else None,
    )


def plan_export(session: Session, campaign_id: int, today: date | None = None) -> PlanExport:
    """What export-plan and the workbook's Plan sheet show of one campaign (the download is
    logged by ``services.exports``)."""
    campaign = _campaign(session, campaign_id)
    retreat, earlier = retreat_view(session, campaign_id, today), last_year(session, campaign_id, today)
    actions = [*(retreat.actions if retreat else ()), *(m.action for m in (earlier.actions if earlier else ()))]
    ids = {t.controversy_id for a in actions for t in a.targets if t.kind == TargetKind.CONTROVERSY}
    titles = dict(session.execute(select(Controversy.id, Controversy.title).where(Controversy.id.in_(ids))).all()) \
        if ids else {}
    return PlanExport(partnership=campaign.partnership.name, campaign_id=campaign.id, year=campaign.year,
                      instrument=load_instrument(campaign.instrument_version), retreat=retreat, last_year=earlier,
                      controversy_titles=titles)



def remove_retreats(session: Session, partnership_id: int) -> None:
    """Delete the retreats of a partnership's campaigns and everything recorded in them."""
    retreats = select(Retreat.id).join(Campaign, Campaign.id == Retreat.campaign_id) \
        .where(Campaign.partnership_id == partnership_id)
    actions = select(Action.id).where(Action.retreat_id.in_(retreats))
    session.execute(delete(ActionNote).where(ActionNote.action_id.in_(actions)))
    session.execute(delete(ActionTarget).where(ActionTarget.action_id.in_(actions)))
    # Later copies point at earlier ones: unlink before deleting.
    session.execute(update(Action).where(Action.retreat_id.in_(retreats)).values(carried_from_id=None))
    session.execute(delete(Action).where(Action.retreat_id.in_(retreats)))
    session.execute(delete(Reading).where(Reading.retreat_id.in_(retreats)))
    session.execute(delete(Retreat).where(Retreat.id.in_(retreats)))
    session.flush()
