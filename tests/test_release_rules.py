"""The release rules on hand-made counts (pure: no database)."""

from __future__ import annotations

from partenariat.scoring.releases import Refusal, Tallies, group_decision, release_refusal

K = 3


def test_a_first_release_needs_k_responses():
    assert release_refusal(K, Tallies(), Tallies(link=2)) == Refusal("below_k", 1)
    assert release_refusal(K, Tallies(), Tallies(link=3)) is None


def test_the_next_release_needs_k_more():
    """Differencing two views: 3 sent, then Dave alone — no new release until 2 more send."""
    assert release_refusal(K, Tallies(link=3), Tallies(link=4)) == Refusal("too_few_new", 2)
    assert release_refusal(K, Tallies(link=3), Tallies(link=6)) is None


def test_entered_rows_cannot_pad_one_online_partner():
    """1 real response + 2 entered rows = 3: refused, the online partner would be alone."""
    assert release_refusal(K, Tallies(), Tallies(link=1, entered=2)) == Refusal("few_link", 2)
    assert release_refusal(K, Tallies(), Tallies(link=0, entered=3)) is None  # paper only: fine
    assert release_refusal(K, Tallies(), Tallies(link=3, entered=1)) is None


def test_the_change_through_links_must_isolate_nobody_either():
    # 5 online, then 1 online + 2 entered: 3 new in all, but the one online partner would be
    # read by subtracting the two rows the coordinator typed.
    assert release_refusal(K, Tallies(link=5), Tallies(link=6, entered=2)) == Refusal("few_new_link", 2)
    assert release_refusal(K, Tallies(link=5), Tallies(link=5, entered=3)) is None


def test_groups_under_k_are_hidden_with_the_next_smallest():
    decision = group_decision(K, {"communautaire": Tallies(link=6), "municipal": Tallies(link=1),
                                  "institutionnel": Tallies(link=4), "citoyen": Tallies(link=3)}, None)
    assert decision.shown and decision.hidden == {"municipal": "below_k", "citoyen": "complementary"}


def test_a_group_padded_with_entered_rows_is_hidden():
    decision = group_decision(K, {"communautaire": Tallies(link=5), "municipal": Tallies(link=1, entered=2),
                                  "institutionnel": Tallies(link=3), "citoyen": Tallies(link=4)}, None)
    assert decision.hidden == {"municipal": "few_link", "institutionnel": "complementary"}


def test_a_group_that_changed_by_fewer_than_k_withholds_the_breakdown():
    before = {"communautaire": Tallies(link=5), "institutionnel": Tallies(link=3)}
    # 3 new responses: 2 community, 1 institutional — each sector changed by fewer than k.
    after = {"communautaire": Tallies(link=7), "institutionnel": Tallies(link=4)}
    assert group_decision(K, after, before) == group_decision(K, after, before)
    assert not group_decision(K, after, before).shown
    # 3 new responses all in one sector: the breakdown can be shown again.
    after = {"communautaire": Tallies(link=8), "institutionnel": Tallies(link=3)}
    assert group_decision(K, after, before).shown
    # A group appearing with fewer than k since the reference also withholds it.
    assert not group_decision(K, {**after, "prive": Tallies(link=1)}, before).shown
