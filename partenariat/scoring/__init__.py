"""Scoring (docs/methodology.md and docs/privacy.md): answer counts in, portrait out.

Pure Python — no Flask, no database — so that the normative rules can be read and tested
alone. Everything is computed from per-item answer counts, which the database can total
cheaply; values are exact fractions, rounded only by the exports.
"""

from partenariat.scoring.comparison import Comparison, compare
from partenariat.scoring.counts import AnswerCounts, tally
from partenariat.scoring.groups import Group, breakdown
from partenariat.scoring.portrait import (
    DimensionResult,
    DomainResult,
    ItemResult,
    Portrait,
    RTResult,
    score,
    scores_and_bands,
)

__all__ = [
    "AnswerCounts",
    "Comparison",
    "DimensionResult",
    "DomainResult",
    "Group",
    "ItemResult",
    "Portrait",
    "RTResult",
    "breakdown",
    "compare",
    "score",
    "scores_and_bands",
    "tally",
]
