"""The statuses of an action and the changes the rules allow (SPEC §9). Pure."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from partenariat.plan.model import FINAL, TRANSITIONS, ActionStatus, is_overdue, transition_refusal

S = ActionStatus
ALLOWED = {
    (S.PLANNED, S.UNDER_WAY), (S.PLANNED, S.POSTPONED), (S.PLANNED, S.DROPPED), (S.PLANNED, S.DONE),
    (S.UNDER_WAY, S.DONE), (S.UNDER_WAY, S.POSTPONED), (S.UNDER_WAY, S.DROPPED),
    (S.POSTPONED, S.UNDER_WAY), (S.POSTPONED, S.PLANNED), (S.POSTPONED, S.DROPPED),
}


def test_the_table_is_the_one_of_the_contract():
    assert {(old, new) for old, reachable in TRANSITIONS.items() for new in reachable} == ALLOWED
    assert FINAL == {S.DONE, S.DROPPED}


@pytest.mark.parametrize(("old", "new"), sorted(ALLOWED))
def test_every_allowed_change(old, new):
    assert transition_refusal(old, new) is None


@pytest.mark.parametrize(("old", "new"), sorted(set(product(S, S)) - ALLOWED))
def test_every_other_change_is_refused_with_a_reason(old, new):
    refusal = transition_refusal(old, new)
    if old == new:
        assert refusal == "The action is already %(old)s."
    elif old in FINAL:
        assert "final" in refusal
    else:  # e.g. under way → planned: going back to "not started" would hide that it began
        assert refusal == "An action cannot go from %(old)s to %(new)s."


def test_values_from_the_database_are_accepted_as_strings():
    assert transition_refusal("prevue", "en_cours") is None
    with pytest.raises(ValueError):
        transition_refusal("prevue", "finie")


def test_overdue_is_past_due_and_not_final():
    today = date(2026, 6, 15)
    assert is_overdue(S.UNDER_WAY, date(2026, 6, 14), today)
    assert not is_overdue(S.UNDER_WAY, date(2026, 6, 15), today)  # due today is not late yet
    assert not is_overdue(S.DONE, date(2026, 1, 1), today) and not is_overdue(S.DROPPED, date(2026, 1, 1), today)
    assert not is_overdue(S.PLANNED, None, today)
