"""Group breakdowns (by sector) under the anonymity rules of docs/privacy.md."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from partenariat.scoring.counts import AnswerCounts
from partenariat.scoring.portrait import Portrait, scores_and_bands
from questionnaires.loader import Instrument


@dataclass(frozen=True)
class Group:
    code: str
    n: int
    # None when hidden; 'below_k' (fewer than k responses) or 'complementary' (hidden so
    # that the one group below k cannot be recovered by subtraction from the total).
    suppressed: str | None
    portrait: Portrait | None


def breakdown(
    instrument: Instrument,
    groups: Mapping[str, tuple[int, Mapping[str, AnswerCounts]]],
    k: int,
    n_total: int,
    hidden: Mapping[str, str] | None = None,
) -> list[Group]:
    """Score each group ({code: (n responses, counts)}), hiding what docs/privacy.md requires.

    Groups keep the order given (the instrument's sector order); empty groups are left out.
    When the whole set is below k, every group is hidden. ``hidden`` gives the decisions a
    release recorded (scoring.releases.group_decision), which then replace the rule below.
    """
    present = [(code, n, counts) for code, (n, counts) in groups.items() if n > 0]
    if hidden is not None:
        hidden = dict(hidden) if n_total >= k else {code: "below_k" for code, _n, _c in present}
    else:
        hidden = {}
        for code, n, _counts in present:
            if n < k or n_total < k:
                hidden[code] = "below_k"
        if len(hidden) == 1:
            candidates = [(n, index, code) for index, (code, n, _c) in enumerate(present) if code not in hidden]
            if candidates:
                hidden[min(candidates)[2]] = "complementary"
    result = []
    for code, n, counts in present:
        reason = hidden.get(code)
        # Groups show dimension, RT and domain scores only: no flags or agenda to work out.
        portrait = None if reason else scores_and_bands(instrument, counts, n, k)
        result.append(Group(code, n, reason, portrait))
    return result
