"""Discussion prompts from setting the timeline beside the survey: an RT the partners
perceive as strong that left no trace among the realised events, and the reverse.

Pure: the caller passes the RT profile (``partenariat.timeline.profile``) and the perceived
RT scores of a campaign's latest release (SPEC §4). The rules are data (``RULES``), so that
the thresholds can be read — and checked by hand — in one place. Like the reading of the
profile, a prompt is a question for the group, never a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from partenariat.messages import _l
from partenariat.scoring.rules import band
from partenariat.timeline.profile import Tally
from questionnaires import Instrument


@dataclass(frozen=True)
class Rule:
    """An RT matches when its perceived band is one of ``bands`` (None: no score, every item
    of the RT left unanswered) and its realised results lie within [min_results, max_results]."""

    key: str
    bands: tuple[str | None, ...]
    min_results: int = 0
    max_results: int | None = None
    text: str = ""  # marked for the catalog, translated where shown; %(rt)s is the RT's name

    def matches(self, perceived_band: str | None, results: int) -> bool:
        return (perceived_band in self.bands and results >= self.min_results
                and (self.max_results is None or results <= self.max_results))


RULES = (
    # Partners see it as a strength, yet no event of the story shows it.
    Rule("survey_not_timeline", bands=("force",), max_results=0,
         text=_l("Strong in the survey, no trace in the timeline: partners see %(rt)s as a strength, yet no realised "
                 "event shows it. Is it missing from the story, or is the perception ahead of the action?")),
    # The story shows it again and again, yet partners do not see it (or did not answer).
    Rule("timeline_not_survey", bands=("a_travailler", None), min_results=2,
         text=_l("Present in the timeline, faint in the survey: %(rt)s comes back in realised events, yet partners "
                 "see it as work to do (or did not say). Do they know what was achieved?")),
)


@dataclass(frozen=True)
class Prompt:
    key: str
    rt: str
    results: int
    score: Fraction | None
    band: str | None
    text: str  # the rule's text, still to translate


def prompts(instrument: Instrument, tally: Tally, scores: Mapping[str, Fraction | None],
            rules: tuple[Rule, ...] = RULES) -> list[Prompt]:
    """Every (rule, RT) that matches, rules in order, RT in framework order. An RT absent
    from ``scores`` (no release to compare with) gives no prompt."""
    found = []
    for rule in rules:
        for code in instrument.rts:
            if code not in scores:
                continue
            perceived = band(scores[code], instrument.bands)
            results = tally.rts[code].results
            if rule.matches(perceived, results):
                found.append(Prompt(rule.key, code, results, scores[code], perceived, rule.text))
    return found
