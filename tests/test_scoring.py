"""Scoring against hand-computed examples (SPEC §4–§5). The arithmetic is in the comments."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from partenariat.scoring import AnswerCounts, breakdown, compare, score, scores_and_bands, tally
from questionnaires import load_instrument

INSTRUMENT = load_instrument()


def counts(a=0, b=0, c=0, nsp=0):
    return AnswerCounts(A=a, B=b, C=c, NSP=nsp)


def test_example_1_items_dimension_rt_domain_with_dont_know():
    # 7 responses. Items not listed: everybody answered NSP (or left blank).
    data = {
        "C01": counts(3, 1, 1, 2),   # n=5, values 2+2+2+1+0 = 7, mean 7/5, score 50·7/5 = 70
        "C02": counts(0, 2, 3, 2),   # n=5, values 1+1 = 2, mean 2/5, score 20
        "K2_1": counts(5, 0, 0, 2),  # n=5, mean 2, score 100
        "CV1": counts(1, 1, 1, 4),   # n=3, mean 1, score 50
    }
    portrait = score(INSTRUMENT, data, n_submitted=7, k=3)
    assert not portrait.suppressed
    c01, c02 = portrait.items["C01"], portrait.items["C02"]
    assert (c01.score, c01.gap, c01.counts.n_valid) == (70, 30, 5)
    assert (c02.score, c02.gap) == (20, 80)
    assert portrait.items["C03"].score is None and portrait.items["C03"].counts == counts(nsp=7)

    # COND1 = mean(70, 20) = 45 → below 50: a_travailler; counts are the sums.
    cond1 = portrait.dimensions["COND1"]
    assert (cond1.score, cond1.gap, cond1.band) == (45, 55, "a_travailler")
    assert cond1.counts == counts(3, 3, 4, 4)
    # CLIM: only CV1 has a score → 50, exactly on the a_consolider boundary.
    assert (portrait.dimensions["CLIM"].score, portrait.dimensions["CLIM"].band) == (50, "a_consolider")
    assert portrait.dimensions["COND2"].score is None and portrait.dimensions["COND2"].band is None

    # RT01 is fed by C01 (.5), C02 (.5), C06 (.5), C14 (.5), K2_1 (1); C06 and C14 have no score:
    # (.5·70 + .5·20 + 1·100) / (.5 + .5 + 1) = 145 / 2 = 72.5
    assert portrait.rts["RT01"].score == Fraction(145, 2)
    # RT03: only CV1 (weight 1) is scored → 50. RT02: nothing scored → None.
    assert portrait.rts["RT03"].score == 50 and portrait.rts["RT02"].score is None
    # D1 = mean(RT01, RT03) = (72.5 + 50) / 2 = 61.25 → a_consolider, gap 38.75.
    d1 = portrait.domains["D1"]
    assert (d1.score, d1.gap, d1.band) == (Fraction(245, 4), Fraction(155, 4), "a_consolider")
    # RT11 is fed by C01 (.5) only among scored items → 70; RT08 by C02 (.5) → 20.
    assert portrait.rts["RT11"].score == 70 and portrait.rts["RT08"].score == 20

    # Flags. C02: 3·C = 9 ≥ 5 → weak. CV1: 3·1 ≥ 3 → weak; 4·1 ≥ 3 for A and C → divergent.
    # K2_1: 3·5 ≥ 2·5 and C = 0 → strong. C01: none (3·1 < 5, C not most frequent, 4·1 < 5).
    assert portrait.items["C02"].flags == ("faible",)
    assert portrait.items["CV1"].flags == ("faible", "divergent")
    assert portrait.items["K2_1"].flags == ("force",)
    assert portrait.items["C01"].flags == ()
    # Agenda: weak by ascending score (C02 20, CV1 50), no divergent left, then strong K2_1.
    assert portrait.agenda == ("C02", "CV1", "K2_1")


def test_example_2_agenda_ties_and_spread_order():
    data = {
        # weak with the same score: (2·1)/3 = 2/3 → 33.3…; tie → instrument order C03, C05
        "C05": counts(1, 0, 2), "C03": counts(1, 0, 2),
        # divergent, not weak: A=2 B=1 C=1 → values 2,2,1,0: mean 5/4, E[v²] = 9/4,
        # variance 9/4 − 25/16 = 11/16 (on C10 and C04: a tie → C04 first)
        "C10": counts(2, 1, 1), "C04": counts(2, 1, 1),
        # divergent: A=2 B=2 C=2, n=6: 4·2 = 8 ≥ 6 for A and C, 3·2 = 6 ≥ 6 → also weak;
        # so C08 is A=3 B=2 C=2, n=7: 4·3 ≥ 7, 4·2 ≥ 7; weak? 3·2 = 6 < 7, C not most frequent → no.
        # variance: E[v²] = (3·4 + 2·1)/7 = 2, mean 8/7, 2 − 64/49 = 34/49 > 11/16 (= 0.6875 vs 0.694)
        # → before C04 and C10
        "C08": counts(3, 2, 2),
        # strong: A=3 B=0: 9 ≥ 6 and C = 0
        "C12": counts(3, 0, 0),
    }
    portrait = score(INSTRUMENT, data, n_submitted=5, k=3)
    assert portrait.items["C03"].score == Fraction(100, 3)
    assert portrait.items["C10"].spread == Fraction(11, 16) and portrait.items["C08"].spread == Fraction(34, 49)
    assert portrait.items["C10"].flags == ("divergent",) and portrait.items["C08"].flags == ("divergent",)
    assert portrait.agenda == ("C03", "C05", "C08", "C04", "C10", "C12")


def test_divergent_needs_a_quarter_at_each_end_of_the_scale():
    # SPEC §4.7 since 2026-11: "no answer reaches half" is withdrawn.
    # C01 A 7 · B 7 · C 1, n = 15: 4·C = 4 < 15 → not divergent, although no answer reaches half
    # (2·7 = 14 < 15). Weak? 3·1 < 15, C not most frequent → no. Strong? 3·7 = 21 < 30 → no.
    # C02 A 4 · B 8 · C 4, n = 16: 4·4 = 16 ≥ 16 at both ends → divergent; weak? 3·4 = 12 < 16,
    # C (4) < B (8) → no.
    # C03 A 2 · B 2 · C 1, n = 5 (the former "no answer reaches half" example): 4·1 < 5 → nothing.
    data = {"C01": counts(7, 7, 1), "C02": counts(4, 8, 4), "C03": counts(2, 2, 1)}
    portrait = score(INSTRUMENT, data, n_submitted=16, k=3)
    assert portrait.items["C01"].flags == ()
    assert portrait.items["C02"].flags == ("divergent",)
    assert portrait.items["C03"].flags == ()
    assert portrait.agenda == ("C02",)


def test_example_3_weak_by_plurality_including_ties():
    # A=2 B=1 C=2, n=5: 3·2 = 6 ≥ 5 → weak anyway. A=3 B=3 C=3, n=9: 3·3 ≥ 9 → weak; C ties
    # for most frequent too. A=3 B=4 C=1, n=8: 3 < 8 and C not most frequent → not weak.
    # A=2 B=2 C=2 (n=6) also: 4·2 ≥ 6 for A and C → divergent.
    portrait = score(INSTRUMENT, {"C01": counts(2, 1, 2), "C02": counts(3, 3, 3), "C03": counts(3, 4, 1)}, 9, 3)
    assert "faible" in portrait.items["C01"].flags
    assert portrait.items["C02"].flags == ("faible", "divergent")
    # C03: 2·max = 8 < 8? no; 4·C = 4 < 8 → not divergent; 3·A = 9 < 16 → not strong.
    assert portrait.items["C03"].flags == ()
    # C03 score: (6 + 4) / 8 = 5/4 → 62.5
    assert portrait.items["C03"].score == Fraction(125, 2)


def test_example_4_suppressed_campaign_shows_nothing():
    portrait = score(INSTRUMENT, {"C01": counts(2, 0, 0)}, n_submitted=2, k=3)
    assert portrait.suppressed
    assert all(i.score is None and i.counts is None and i.flags == () for i in portrait.items.values())
    assert all(d.score is None and d.counts is None for d in portrait.dimensions.values())
    assert all(r.score is None for r in portrait.rts.values())
    assert all(d.score is None for d in portrait.domains.values())
    assert portrait.agenda == ()


def test_example_5_group_below_k_and_its_complementary_suppression():
    everyone_a = {code: None for code in INSTRUMENT.items}
    groups = {
        "institutionnel": (4, tally(INSTRUMENT.items, [{"C01": "A"}] * 4)),
        "communautaire": (5, tally(INSTRUMENT.items, [{"C01": "B"}] * 5)),
        "municipal": (2, tally(INSTRUMENT.items, [everyone_a] * 2)),
        "prive": (0, {}),
    }
    result = breakdown(INSTRUMENT, groups, k=3, n_total=11)
    # municipal (2 < 3) is hidden; the next-smallest group (institutionnel, 4) is hidden too so
    # that municipal = total − the others cannot be computed; prive (0) is not listed.
    assert [(g.code, g.n, g.suppressed) for g in result] == [
        ("institutionnel", 4, "complementary"), ("communautaire", 5, None), ("municipal", 2, "below_k")]
    assert result[0].portrait is None and result[2].portrait is None
    # communautaire: C01 all B → 50.
    assert result[1].portrait.items["C01"].score == 50


def test_two_groups_below_k_need_no_complementary_suppression():
    groups = {"citoyen": (1, {}), "prive": (2, {}), "communautaire": (6, {})}
    result = breakdown(INSTRUMENT, groups, k=3, n_total=9)
    assert [(g.code, g.suppressed) for g in result] == [("citoyen", "below_k"), ("prive", "below_k"), ("communautaire", None)]


def test_tie_for_the_complementary_group_takes_the_first_in_sector_order():
    groups = {"institutionnel": (4, {}), "communautaire": (4, {}), "municipal": (1, {})}
    result = breakdown(INSTRUMENT, groups, k=3, n_total=9)
    assert [g.suppressed for g in result] == ["complementary", None, "below_k"]


def test_year_comparison_uses_only_shared_items():
    later_instrument = dataclasses.replace(
        INSTRUMENT, version="2027.1", items={c: i for c, i in INSTRUMENT.items.items() if c != "C02"})
    before = {"C01": counts(1, 1, 1), "C02": counts(0, 0, 3)}   # C01: 50, C02: 0
    after = {"C01": counts(3, 0, 0)}                            # C01: 100
    result = compare((INSTRUMENT, before, 3, 3), (later_instrument, after, 3, 3))
    assert result.left_out == ("C02",)
    assert result.items["C01"] == 50 and "C02" not in result.items
    # COND1 compared on C01 alone: 50 → 100, not mean(50, 0) = 25 → 100.
    assert result.dimensions["COND1"] == 50
    assert result.rts["RT01"] == 50 and result.rts["RT02"] is None


def test_tally_counts_blanks_and_unknown_values_as_dont_know():
    result = tally(["C01", "C02"], [{"C01": "A", "C02": None}, {"C01": "NSP"}, {"C01": "C", "C02": "x"}])
    assert result == {"C01": counts(1, 0, 1, 1), "C02": counts(0, 0, 0, 3)}


def test_scores_and_bands_agree_with_the_full_portrait_and_carry_nothing_else():
    data = {
        "C01": counts(3, 1, 1, 2),   # 70 (example 1)
        "C02": counts(0, 2, 3, 2),   # 20
        "K2_1": counts(5, 0, 0, 2),  # 100
    }
    full = score(INSTRUMENT, data, n_submitted=7, k=3)
    light = scores_and_bands(INSTRUMENT, data, n_submitted=7, k=3)
    # COND1 = mean(70, 20) = 45 → a_travailler; KEY2 = 100 → force
    assert (light.dimensions["COND1"].score, light.dimensions["COND1"].band) == (45, "a_travailler")
    assert (light.dimensions["KEY2"].score, light.dimensions["KEY2"].band) == (100, "force")
    for table in ("dimensions", "rts", "domains"):
        mine, theirs = getattr(light, table), getattr(full, table)
        assert {c: (r.score, r.gap) for c, r in mine.items()} == {c: (r.score, r.gap) for c, r in theirs.items()}
    assert {c: d.band for c, d in light.domains.items()} == {c: d.band for c, d in full.domains.items()}
    assert light.items["C01"].score == 70 and light.items["C01"].counts is None and light.items["C01"].flags == ()
    assert light.agenda == () and full.agenda != ()
    assert all(d.counts is None for d in light.dimensions.values())
    hidden = scores_and_bands(INSTRUMENT, data, n_submitted=2, k=3)
    assert hidden.suppressed and all(d.score is None for d in hidden.dimensions.values())
