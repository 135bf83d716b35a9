"""What the exports receive: plain, frozen data — never an ORM object, never a session.

The services read the database and fill these; the exports (``exports/``) and the pages
only read them, so no export can trigger a query (a lazy ``campaign.partnership``) or
depend on the models. Pure Python: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from partenariat.scoring import AnswerCounts, Group, Portrait
from questionnaires import Instrument

# Why a funder row has blank scores.
BELOW_K_FUNDER = "below_k_funder"


@dataclass(frozen=True)
class PartnershipInfo:
    id: int
    name: str
    region: str | None


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    year: int
    title: str
    k: int
    status: str
    instrument_version: str
    published: bool
    partnership: PartnershipInfo
    focus: int = 6  # discussion points the retreat focuses on


@dataclass(frozen=True)
class ControversyRow:
    """A controversy as a campaign sees it: a register entry with its status at this
    campaign, or a partner's report the coordinator has not reviewed yet."""

    ref: str  # E<id> for register entries, R<id> for reports
    source: str  # register / report
    title: str
    description: str
    nature: str | None
    status: str | None
    means: list[str]
    effect: str | None


@dataclass(frozen=True)
class ControversySummary:
    status_counts: dict[str, int]
    # Entries without free text: (id, nature, status, means, effect).
    entries: list[dict]


@dataclass(frozen=True)
class ReleaseSummary:
    """The release a portrait is computed from: how many responses, of which kind."""

    number: int
    n_link: int  # sent by partners through their personal links
    n_entered: int  # entered by the coordination from paper or files
    made_at: datetime
    final: bool
    groups_shown: bool  # False: the sector breakdown is withheld from this release

    @property
    def n(self) -> int:
        return self.n_link + self.n_entered


@dataclass(frozen=True)
class CampaignPortrait:
    campaign: CampaignInfo
    instrument: Instrument
    n_invited: int
    counts: dict[str, AnswerCounts]  # per item, over the responses of the release
    portrait: Portrait
    groups: list[Group]
    controversies: ControversySummary
    release: ReleaseSummary | None = None  # None: no release yet, nothing is shown


@dataclass(frozen=True)
class IndividualAnswers:
    """One response of a release under a pseudonym drawn for this export: answers only (no
    sector, no language: either can single a partner out)."""

    pseudonym: str
    answers: dict[str, str]


@dataclass(frozen=True)
class FunderRow:
    partnership_id: int
    partnership: str
    region: str | None
    year: int
    campaign_id: int
    instrument_version: str
    n: int
    scores: dict[str, Fraction | None]  # dimension and domain codes
    bands: dict[str, str | None]
    reason: str | None  # why scores are blank (BELOW_K_FUNDER)
