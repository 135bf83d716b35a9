"""The retreat and its action plan as plain data (SPEC §9), with the rules of an action's status.

A retreat belongs to one campaign and reads one release of it; its collective readings are
the group's view of a discussion point and are never counted as responses. An action targets
items, dimensions, RT or a controversy; its status changes only along ``TRANSITIONS``, each
change leaving a dated note, so that the history is kept. Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction

from partenariat.messages import _l
from partenariat.scoring.counts import AnswerCounts
from partenariat.scoring.years import counts_differ_a_lot
from questionnaires.loader import Instrument, Localized

# More priority actions than this and the retreat is warned: a plan with everything a
# priority has none (issue 14).
PRIORITY_CAP = 5
# The group's reading of a point, on the questionnaire's own scale; None: no consensus.
CONSENSUS_VALUES = ("A", "B", "C")


class RetreatMethod(StrEnum):
    """The three ways the CACIS tool can be used."""

    CONSENSUS = "consensus"  # the group answers together: its reading is the diagnosis
    INDIVIDUAL_THEN_GROUP = "individual_then_group"  # each partner answers, then the group discusses
    COMPILED = "compiled"  # answers are compiled, then discussed (what the product does)


class ActionStatus(StrEnum):
    PLANNED = "prevue"
    UNDER_WAY = "en_cours"
    DONE = "realisee"
    POSTPONED = "reportee"
    DROPPED = "abandonnee"


class TargetKind(StrEnum):
    ITEM = "item"
    DIMENSION = "dimension"
    RT = "rt"
    CONTROVERSY = "controversy"


# Where each status may go. Done and dropped are final: doing it again is a new action.
TRANSITIONS: dict[ActionStatus, frozenset[ActionStatus]] = {
    ActionStatus.PLANNED: frozenset({ActionStatus.UNDER_WAY, ActionStatus.POSTPONED, ActionStatus.DROPPED,
                                     ActionStatus.DONE}),
    ActionStatus.UNDER_WAY: frozenset({ActionStatus.DONE, ActionStatus.POSTPONED, ActionStatus.DROPPED}),
    ActionStatus.POSTPONED: frozenset({ActionStatus.UNDER_WAY, ActionStatus.PLANNED, ActionStatus.DROPPED}),
    ActionStatus.DONE: frozenset(),
    ActionStatus.DROPPED: frozenset(),
}
FINAL = frozenset(status for status, reachable in TRANSITIONS.items() if not reachable)


class PlanRefused(ValueError):
    """A change the plan's rules refuse. Raised by the services with the message already in
    the user's language: ``str(error)`` is what to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def transition_refusal(old: ActionStatus | str, new: ActionStatus | str) -> str | None:
    """None when an action may go from ``old`` to ``new``; otherwise the message (a msgid
    with ``%(old)s`` and ``%(new)s``) saying why not."""
    old, new = ActionStatus(old), ActionStatus(new)
    if old == new:
        return _l("The action is already %(old)s.")
    if old in FINAL:
        return _l("The action is %(old)s: that is final. To take it up again, record a new action.")
    if new not in TRANSITIONS[old]:
        return _l("An action cannot go from %(old)s to %(new)s.")
    return None


def is_final(status: ActionStatus | str) -> bool:
    return ActionStatus(status) in FINAL


def is_overdue(status: ActionStatus | str, due_on: date | None, today: date) -> bool:
    """Past its due date and neither done nor dropped."""
    return due_on is not None and due_on < today and not is_final(status)


@dataclass(frozen=True)
class TargetRef:
    """What an action aims at: an item (C05), a dimension (COND2, KEY1, CLIM), an RT (RT04)
    by ``code``, or an entry of the controversy register by ``controversy_id``."""

    kind: TargetKind
    code: str | None = None
    controversy_id: int | None = None


@dataclass(frozen=True)
class ActionFields:
    """What a coordinator writes about an action (its status changes apart, with a note)."""

    title: str
    priority: bool = False
    expected_rt: str | None = None
    lead: str = ""  # an organisation or a role, never a partner's answer
    start_on: date | None = None
    due_on: date | None = None
    how_we_will_know: str = ""
    targets: tuple[TargetRef, ...] = ()


@dataclass(frozen=True)
class NoteView:
    noted_on: date
    status: ActionStatus | None  # the status the note moved the action to; None: unchanged
    text: str


@dataclass(frozen=True)
class EarlierStep:
    """The same action at an earlier retreat, before it was carried forward."""

    action_id: int
    campaign_id: int
    year: int
    status: ActionStatus
    notes: tuple[NoteView, ...]


@dataclass(frozen=True)
class ActionView:
    id: int
    campaign_id: int
    year: int  # of the campaign whose retreat recorded it
    title: str
    priority: bool
    expected_rt: str | None
    lead: str
    start_on: date | None
    due_on: date | None
    how_we_will_know: str
    status: ActionStatus
    targets: tuple[TargetRef, ...]
    notes: tuple[NoteView, ...]  # oldest first
    carried_from: tuple[EarlierStep, ...]  # the earlier retreats' copies, nearest first
    event_id: int | None  # the timeline event it became
    overdue: bool
    carried_into: int | None = None  # the later retreat's copy, once carried forward

    @property
    def final(self) -> bool:
        return is_final(self.status)


@dataclass(frozen=True)
class PointItem:
    code: str
    statement: Localized
    counts: AnswerCounts | None  # the release's A/B/C/NSP counts; None when hidden (below k)
    score: Fraction | None


@dataclass(frozen=True)
class PointView:
    """A discussion point and the group's collective reading of it."""

    reading_id: int
    position: int
    codes: tuple[str, ...]
    dimension: str
    name: Localized  # the dimension's name
    items: tuple[PointItem, ...]  # the individual distribution, beside the group's reading
    consensus: str | None  # A/B/C, None: no consensus reached (or not recorded)
    reasons: str
    dissent: str
    to_work_on: bool


@dataclass(frozen=True)
class RetreatView:
    id: int
    campaign_id: int
    year: int
    release_number: int
    held_on: date | None
    method: RetreatMethod
    participants: str  # organisations, one a line: never an answer
    decisions: str
    points: tuple[PointView, ...]
    actions: tuple[ActionView, ...]
    # The previous campaign's unfinished actions not carried into this retreat yet.
    carry_candidates: tuple[ActionView, ...]

    @property
    def participant_list(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.participants.splitlines() if line.strip())

    @property
    def priority_count(self) -> int:
        return sum(1 for action in self.actions if action.priority)

    @property
    def too_many_priorities(self) -> bool:
        return self.priority_count > PRIORITY_CAP


@dataclass(frozen=True)
class Movement:
    """How one target of an action moved, from the release its retreat read to the next
    campaign's latest release. Scores are exact; ``delta`` is after − before.

    ``comparable`` is False when one side has no number to compare (``reason`` says why:
    a code of ``MOVEMENT_REASONS``); ``note`` qualifies a comparable one (e.g. a dimension
    whose items differ between the two instrument versions, scored on the shared ones)."""

    target: TargetRef
    label: Localized
    before: Fraction | None
    after: Fraction | None
    delta: Fraction | None
    comparable: bool
    reason: str | None = None
    note: str | None = None
    left_out: tuple[str, ...] = ()  # items of the dimension or RT only one version has
    status_before: str | None = None  # a controversy's register status then and now
    status_after: str | None = None


# Why a movement has no number, or what qualifies it (translated where shown).
MOVEMENT_REASONS = {
    "absent_before": _l("This question was not in the instrument version of the earlier campaign."),
    "absent_after": _l("This question is not in the instrument version of the later campaign."),
    "no_shared_items": _l("The two instrument versions share no question of it."),
    "no_score_before": _l("No score at the earlier release (nobody answered A, B or C, or too few responses)."),
    "no_score_after": _l("No score at the later release (nobody answered A, B or C, or too few responses)."),
    "no_release_after": _l("The later campaign has no release yet."),
    "no_later_campaign": _l("There is no later campaign yet."),
    "no_record_before": _l("The register had no status for it at the earlier campaign."),
    "no_record_after": _l("The register has no status for it at the later campaign yet."),
    "items_differ": _l("Computed on the questions both instrument versions share."),
}


@dataclass(frozen=True)
class ActionMovement:
    """An earlier action and the movement of each of its targets, in the targets' order."""

    action: ActionView
    movements: tuple[Movement, ...]

    def __iter__(self):
        # The contract's (ActionView, movements) pair: ``for action, moved in last.actions``.
        return iter((self.action, self.movements))


@dataclass(frozen=True)
class LastYear:
    """What the previous campaign's retreat decided, and what moved since (for the portrait,
    the retreat pack and the export)."""

    campaign_id: int  # the earlier campaign, whose retreat recorded the actions
    year: int
    release_number: int  # the release its retreat read
    later_campaign_id: int  # the campaign whose portrait shows the movement
    later_year: int
    later_release_number: int | None  # None: no release yet, nothing moved to show
    actions: tuple[ActionMovement, ...]
    responses_before: int = 0  # in the release the retreat read
    responses_after: int | None = None  # in the later release

    @property
    def counts_differ_a_lot(self) -> bool:
        """As in the year comparison: one side rests on under half the voices of the other,
        so a movement may come from who answered rather than from the partnership."""
        return self.responses_after is not None and counts_differ_a_lot([self.responses_before, self.responses_after])


@dataclass(frozen=True)
class FollowUp:
    """The one-page follow-up of a partnership's actions during the year."""

    today: date
    by_status: dict[ActionStatus, tuple[ActionView, ...]]  # every status, in ActionStatus order
    overdue: tuple[ActionView, ...]
    done_this_year: tuple[ActionView, ...]  # done with a dated note in today's calendar year


@dataclass(frozen=True)
class PlanExport:
    """Everything export-plan and the workbook's Plan sheet show of one campaign."""

    partnership: str
    campaign_id: int
    year: int
    instrument: Instrument  # the campaign's version: names of the targeted questions, dimensions, RT
    retreat: RetreatView | None
    last_year: LastYear | None
    controversy_titles: dict[int, str] = field(default_factory=dict)  # of the targeted register entries
