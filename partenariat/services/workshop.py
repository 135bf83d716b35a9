"""The coordinator's timeline workshop (SPEC §8, issue 13): the RT profile of a project or of
the whole partnership beside the perceived RT scores of the latest release, the question grid's
answers, and the workshop pack's data.

Reads the timeline through ``services.timeline.load_timeline`` and the survey only through
``services.portrait.build`` (the latest release of a campaign, never a response outside one).
Only adds and flushes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partenariat.models import Campaign, GridAnswer, Project, TimelineSnapshot
from partenariat.scoring.rules import band
from partenariat.services import portrait as portraits
from partenariat.services import releases
from partenariat.services.timeline import load_timeline
from partenariat.timeline import model
from partenariat.timeline.profile import Profile, profile
from partenariat.timeline.prompts import Prompt, prompts
from partenariat.timeline.questions import MOMENTS, load_questions
from partenariat.timeline.snapshots import TimelineDiff, diff
from partenariat.validation import record_id
from questionnaires import load_instrument

log = logging.getLogger(__name__)

# The longest lesson or avenue kept: a few paragraphs, not a report.
ANSWER_LENGTH = 4000


def projects(session: Session, partnership_id: int) -> list[Project]:
    return list(session.scalars(select(Project).where(Project.partnership_id == partnership_id)
                                .order_by(Project.title)))


@dataclass(frozen=True)
class Perceived:
    """The perceived RT scores of one campaign's latest release (SPEC §3–4)."""

    campaign_id: int
    campaign_title: str
    year: int
    release_number: int
    n_responses: int
    scores: dict[str, Fraction | None]
    bands: dict[str, str | None]


def perceived(session: Session, partnership_id: int) -> Perceived | None:
    """The RT scores of the partnership's latest campaign that has a release (by year, then
    creation); None when no campaign has one — nothing outside a release is ever shown."""
    campaigns = list(session.scalars(select(Campaign).where(Campaign.partnership_id == partnership_id)
                                     .order_by(Campaign.year.desc(), Campaign.id.desc())))
    numbers = releases.latest_numbers(session, [c.id for c in campaigns])
    chosen = next((c for c in campaigns if c.id in numbers), None)
    if chosen is None:
        return None
    result = portraits.build(session, chosen, portrait_only=True)
    if result.release is None or result.portrait.suppressed:
        return None
    scores = {code: rt.score for code, rt in result.portrait.rts.items()}
    return Perceived(chosen.id, chosen.title, chosen.year, result.release.number, result.release.n, scores,
                     {code: band(score, result.instrument.bands) for code, score in scores.items()})


@dataclass(frozen=True)
class ProfileView:
    """What a profile page (and the pack) shows: the counts, our reading, the perceived
    scores beside them and the prompts the two give together."""

    profile: Profile
    perceived: Perceived | None
    prompts: list[Prompt]
    by_project: list[tuple[str, Profile]]  # (project title, its profile), partnership view only


def _view(session: Session, partnership_id: int, timelines: list[model.Timeline], per_project: bool) -> ProfileView:
    instrument = load_instrument()
    result = profile(instrument, timelines)
    seen = perceived(session, partnership_id)
    found = prompts(instrument, result.total, seen.scores) if seen else []
    by_project = [(t.title, profile(instrument, [t])) for t in timelines] if per_project else []
    return ProfileView(result, seen, found, by_project)


def project_profile(session: Session, project: Project) -> ProfileView:
    return _view(session, project.partnership_id, [load_timeline(session, project.partnership_id, project.id)], False)


def partnership_profile(session: Session, partnership_id: int) -> ProfileView:
    timelines = [load_timeline(session, partnership_id, p.id) for p in projects(session, partnership_id)]
    return _view(session, partnership_id, timelines, True)


# --- the question grid ----------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """What the partnership drew from one question: the lesson, and the avenue for action."""

    lesson: str = ""
    avenue: str = ""

    @property
    def empty(self) -> bool:
        return not (self.lesson or self.avenue)


def grid_answers(session: Session, project_id: int) -> dict[tuple[str, str], Answer]:
    """{(question code, moment): answer} of the project's saved answers."""
    rows = session.scalars(select(GridAnswer).where(GridAnswer.project_id == project_id))
    return {(row.question_code, row.moment): Answer(row.lesson, row.avenue) for row in rows}


def save_grid_answers(session: Session, project_id: int, moment: str, answers: dict[str, Answer]) -> int:
    """Save the answers of one moment: a question answered is written (created or replaced),
    a question emptied is removed. Codes must be the grid's for that moment. Returns how
    many questions now have an answer at that moment."""
    if moment not in MOMENTS:
        raise ValueError(f"unknown moment {moment!r}")
    codes = {q.code for q in load_questions().questions(moment)}
    unknown = set(answers) - codes
    if unknown:
        raise ValueError(f"not questions of the grid for {moment}: {sorted(unknown)}")
    existing = {row.question_code: row for row in session.scalars(
        select(GridAnswer).where(GridAnswer.project_id == project_id, GridAnswer.moment == moment))}
    for code, answer in answers.items():
        answer = Answer(answer.lesson.strip(), answer.avenue.strip())
        row = existing.get(code)
        if answer.empty:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(GridAnswer(project_id=project_id, question_code=code, moment=moment, lesson=answer.lesson,
                                   avenue=answer.avenue))
        elif (row.lesson, row.avenue) != (answer.lesson, answer.avenue):
            row.lesson, row.avenue = answer.lesson, answer.avenue
    session.flush()
    return session.scalar(select(func.count()).select_from(GridAnswer).where(
        GridAnswer.project_id == project_id, GridAnswer.moment == moment))


# --- snapshots ----------------------------------------------------------------------------------

LABEL_LENGTH = 200


def _document(session: Session, project: Project) -> dict:
    from exports import timeline_json

    return timeline_json.as_dict(load_timeline(session, project.partnership_id, project.id), load_instrument())


def take_snapshot(session: Session, project: Project, label: str) -> TimelineSnapshot:
    """Freeze the project's timeline as it stands now, under ``label`` (e.g. "Retreat 2026")."""
    snapshot = TimelineSnapshot(project_id=project.id, label=label.strip(), content=_document(session, project))
    session.add(snapshot)
    session.flush()
    log.info("snapshot %s of project %s taken (%s events)", snapshot.id, project.id, len(snapshot.content["events"]))
    return snapshot


def snapshots(session: Session, project_id: int) -> list[TimelineSnapshot]:
    """The project's snapshots, newest first."""
    return list(session.scalars(select(TimelineSnapshot).where(TimelineSnapshot.project_id == project_id)
                                .order_by(TimelineSnapshot.taken_at.desc(), TimelineSnapshot.id.desc())))


NOW = "now"  # stands for today's timeline where a snapshot id is expected


def compare(session: Session, project: Project, older: str, newer: str) -> TimelineDiff:
    """What changed from ``older`` to ``newer``: snapshot ids of the project, or NOW.
    SnapshotMissing when an id is not one of the project's snapshots."""
    return diff(_side(session, project, older), _side(session, project, newer))


class SnapshotMissing(LookupError):
    pass


def _side(session: Session, project: Project, choice: str) -> dict:
    if choice == NOW:
        return _document(session, project)
    ident = record_id(choice)
    snapshot = session.get(TimelineSnapshot, ident) if ident is not None else None
    if snapshot is None or snapshot.project_id != project.id:
        raise SnapshotMissing(choice)
    return snapshot.content
