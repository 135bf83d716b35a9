"""Properties of the scoring that must hold for any set of responses."""

from __future__ import annotations

import statistics
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from partenariat.scoring import breakdown, score, tally
from questionnaires import load_instrument

INSTRUMENT = load_instrument()
CODES = list(INSTRUMENT.items)
answer = st.sampled_from(["A", "B", "C", "NSP", None])
response = st.fixed_dictionaries({code: answer for code in CODES})
responses = st.lists(response, min_size=0, max_size=25)


def all_results(portrait):
    yield from portrait.items.values()
    yield from portrait.dimensions.values()
    yield from portrait.rts.values()
    yield from portrait.domains.values()


@settings(max_examples=60, deadline=None)
@given(responses, st.integers(min_value=1, max_value=6))
def test_scores_in_range_and_gap_is_complement(rows, k):
    portrait = score(INSTRUMENT, tally(CODES, rows), len(rows), k)
    for result in all_results(portrait):
        if result.score is not None:
            assert 0 <= result.score <= 100
            assert result.gap == 100 - result.score
        else:
            assert result.gap is None


@settings(max_examples=40, deadline=None)
@given(responses, st.randoms(use_true_random=False))
def test_respondent_order_does_not_matter(rows, rng):
    shuffled = list(rows)
    rng.shuffle(shuffled)
    assert score(INSTRUMENT, tally(CODES, rows), len(rows), 3) == score(INSTRUMENT, tally(CODES, shuffled), len(rows), 3)


@settings(max_examples=40, deadline=None)
@given(st.lists(response, min_size=3, max_size=20), st.integers(min_value=1, max_value=10))
def test_adding_only_dont_know_answers_changes_no_score(rows, extra):
    before = score(INSTRUMENT, tally(CODES, rows), len(rows), 3)
    padded = rows + [dict.fromkeys(CODES, "NSP")] * extra
    after = score(INSTRUMENT, tally(CODES, padded), len(padded), 3)
    for left, right in zip(all_results(before), all_results(after), strict=True):
        assert left.score == right.score
    assert before.agenda == after.agenda


@settings(max_examples=60, deadline=None)
@given(st.lists(response, min_size=1, max_size=25))
def test_flags_agree_with_the_counts(rows):
    portrait = score(INSTRUMENT, tally(CODES, rows), len(rows), 1)
    for item in portrait.items.values():
        a, b, c, n = item.counts.A, item.counts.B, item.counts.C, item.counts.n_valid
        assert item.counts.NSP == len(rows) - n
        if n == 0:
            assert item.flags == () and item.score is None
            continue
        assert ("faible" in item.flags) == (3 * c >= n or c == max(a, b, c))
        assert ("divergent" in item.flags) == (4 * a >= n and 4 * c >= n)
        assert ("force" in item.flags) == (3 * a >= 2 * n and c == 0)
        if "force" in item.flags:
            assert "faible" not in item.flags
        # The agenda lists exactly the flagged items.
        assert (item.code in portrait.agenda) == bool(item.flags)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(INSTRUMENT.sectors)), response), max_size=25),
       st.integers(min_value=2, max_value=6))
def test_nothing_shows_below_k(rows, k):
    portrait = score(INSTRUMENT, tally(CODES, [r for _s, r in rows]), len(rows), k)
    if len(rows) < k:
        assert portrait.suppressed and portrait.agenda == ()
        assert all(result.score is None for result in all_results(portrait))
    by_sector = {}
    for sector in INSTRUMENT.sectors:
        members = [r for s, r in rows if s == sector]
        by_sector[sector] = (len(members), tally(CODES, members))
    groups = breakdown(INSTRUMENT, by_sector, k, len(rows))
    shown = [g for g in groups if g.suppressed is None]
    for group in groups:
        assert (group.portrait is None) == (group.suppressed is not None)
        if group.n < k or len(rows) < k:
            assert group.suppressed == "below_k"
    below = [g for g in groups if g.suppressed == "below_k"]
    # Never exactly one hidden group when others are shown: subtraction would reveal it.
    if shown:
        assert len([g for g in groups if g.suppressed]) != 1
    assert len(below) != 1 or any(g.suppressed == "complementary" for g in groups) or not shown


# Scores whose floats are equal or nearly so: the funder quartiles sort on a float key first.
close_scores = st.lists(
    st.one_of(st.fractions(min_value=0, max_value=100, max_denominator=10**9),
              st.sampled_from([Fraction(1, 3), Fraction(10**16 + 1, 3 * 10**16), Fraction(50), Fraction(100, 3)])),
    min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(close_scores)
def test_funder_quartiles_are_those_of_the_exact_values_in_any_order(values):
    from partenariat.scoring.aggregates import spread

    expected = (statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3)
    found = spread(list(reversed(values)))
    assert (found.q1, found.median, found.q3) == tuple(expected)
    assert found.count == len(values)
