"""Answer counts per item, the only input the scoring needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerCounts:
    A: int = 0
    B: int = 0
    C: int = 0
    NSP: int = 0  # "don't know" and blank alike

    @property
    def n_valid(self) -> int:
        return self.A + self.B + self.C

    def __add__(self, other: AnswerCounts) -> AnswerCounts:
        return AnswerCounts(self.A + other.A, self.B + other.B, self.C + other.C, self.NSP + other.NSP)

    def as_dict(self) -> dict[str, int]:
        return {"A": self.A, "B": self.B, "C": self.C, "NSP": self.NSP}


def tally(item_codes: Iterable[str], responses: Iterable[Mapping[str, str | None]]) -> dict[str, AnswerCounts]:
    """Counts per item from individual responses ({item code: answer}); anything that is not
    A, B or C counts as NSP, as a blank does."""
    codes = list(item_codes)
    totals = {code: [0, 0, 0, 0] for code in codes}
    for response in responses:
        for code in codes:
            value = response.get(code)
            index = "ABC".find(value) if value in ("A", "B", "C") else 3
            totals[code][index] += 1
    return {code: AnswerCounts(*values) for code, values in totals.items()}
