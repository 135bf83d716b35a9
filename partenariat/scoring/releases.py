"""When a release may be made, and which groups it may show (docs/privacy.md, "Releases").

Every result a campaign shows comes from a *release*: a frozen set of counted responses.
Two views taken at different times therefore differ by nothing or by at least k responses,
so that nobody can subtract one from the other to read a single partner's answers. Pure
Python, on counts only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Tallies:
    """Responses sent through personal links, and entered by the coordination (paper, files)."""

    link: int = 0
    entered: int = 0

    @property
    def total(self) -> int:
        return self.link + self.entered

    def __sub__(self, other: Tallies) -> Tallies:
        return Tallies(self.link - other.link, self.entered - other.entered)


def clear_of_k(count: int, k: int) -> bool:
    """0 or at least k: a count, or a change of count, that isolates nobody."""
    return count == 0 or count >= k


@dataclass(frozen=True)
class Refusal:
    """Why no release can be made now. ``needed``: how many more responses (through links
    for the link rules) would make it possible."""

    code: str  # below_k / too_few_new / few_link / few_new_link
    needed: int


def release_refusal(k: int, previous: Tallies, after: Tallies) -> Refusal | None:
    """None when a release counting ``after`` may follow one that counted ``previous``.

    - at least k responses in all;
    - at least k more than the previous release;
    - responses sent through links: none, or at least k — entered rows (which the coordinator
      typed, and so knows) cannot pad one online partner into a group;
    - and the same for the change since the previous release.
    """
    new = after - previous
    if after.total < k:
        return Refusal("below_k", k - after.total)
    if new.total < k:
        return Refusal("too_few_new", k - new.total)
    if not clear_of_k(after.link, k):
        return Refusal("few_link", k - after.link)
    if not clear_of_k(new.link, k):
        return Refusal("few_new_link", k - new.link)
    return None


@dataclass(frozen=True)
class GroupDecision:
    shown: bool  # False: the whole breakdown is withheld from this release
    hidden: dict[str, str]  # group → below_k / few_link / complementary


def group_decision(k: int, current: Mapping[str, Tallies], reference: Mapping[str, Tallies] | None) -> GroupDecision:
    """Which groups (sectors) a release may show.

    ``reference`` holds the groups' tallies at the last release that showed the breakdown
    (None if none did). The breakdown is withheld when any group changed since then by
    something other than 0 or at least k (in all, or through links): then any two releases
    that show groups differ, group by group and for any union of groups, by 0 or ≥ k
    responses. Within a release, a group under k (or with 1…k−1 link responses) is hidden,
    and if exactly one group is hidden the next-smallest is hidden too, so that it cannot
    be recovered by subtraction from the total.
    """
    present = {code: t for code, t in current.items() if t.total > 0}
    if reference is not None:
        for code in set(present) | set(reference):
            change = present.get(code, Tallies()) - reference.get(code, Tallies())
            if not clear_of_k(change.total, k) or not clear_of_k(change.link, k):
                return GroupDecision(False, {})
    hidden = {}
    for code, tallies in present.items():
        if tallies.total < k:
            hidden[code] = "below_k"
        elif not clear_of_k(tallies.link, k):
            hidden[code] = "few_link"
    if len(hidden) == 1:
        # The smallest shown group (ties: the first in the given order) joins it.
        order = list(present)
        candidates = [(t.total, order.index(code), code) for code, t in present.items() if code not in hidden]
        if candidates:
            hidden[min(candidates)[2]] = "complementary"
    return GroupDecision(True, hidden)
