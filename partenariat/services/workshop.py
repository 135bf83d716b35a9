"""The coordinator's timeline workshop (SPEC §8, issue 13): the RT profile of a project or of
the whole partnership beside the perceived RT scores of the latest release, the question grid's
answers, and the workshop pack's data.

Reads the timeline through ``services.timeline.load_timeline`` and the survey only through
``services.portrait.build`` (the latest release of a campaign, never a response outside one).
Only adds and flushes.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from partenariat.models import Campaign, Project
from partenariat.scoring.rules import band
from partenariat.services import portrait as portraits
from partenariat.services import releases
from partenariat.services.timeline import load_timeline
from partenariat.timeline import model
from partenariat.timeline.profile import Profile, profile
from partenariat.timeline.prompts import Prompt, prompts
from questionnaires import load_instrument


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
