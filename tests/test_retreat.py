"""The retreat's focus (SPEC §4.8): discussion points, the annex and the strengths, with the
one key acting most on each point's RT. Hand-computed; the arithmetic is in the comments."""

from __future__ import annotations

from fractions import Fraction

from partenariat.scoring import AnswerCounts, score
from partenariat.scoring.retreat import retreat_agenda, rt_weights, strongest_key
from questionnaires import load_instrument

INSTRUMENT = load_instrument()


def counts(a=0, b=0, c=0):
    return AnswerCounts(A=a, B=b, C=c)


def portrait():
    data = {
        "C12": counts(0, 0, 3),  # score 0, weak (COND5)
        "C01": counts(0, 1, 2),  # 50·1/3 = 16.7, weak (COND1)
        "C15": counts(0, 2, 2),  # 25, weak: 3·2 ≥ 4 (COND6)
        "C13": counts(0, 2, 1),  # 33.3, weak: 3·1 ≥ 3 (COND5, like C12)
        "C04": counts(3, 2, 2),  # divergent only: 4·3 ≥ 7, 4·2 ≥ 7; 3·2 < 7 (COND3)
        "K2_1": counts(3, 0, 0),  # strong
    }
    return score(INSTRUMENT, data, n_submitted=7, k=3)


def test_focus_groups_one_dimension_and_leaves_the_rest_in_the_annex():
    p = portrait()
    assert p.agenda == ("C12", "C01", "C15", "C13", "C04", "K2_1")
    agenda = retreat_agenda(INSTRUMENT, p, focus=2)
    # Two points: COND5 (C12 opens it, C13 joins it later without adding a point), COND1.
    # C15 (COND6) and C04 (COND3) would open a third and fourth: annex.
    assert [(pt.dimension, pt.items) for pt in agenda.focus] == [("COND5", ("C12", "C13")), ("COND1", ("C01",))]
    assert agenda.also == ("C15", "C04")
    assert agenda.strengths == ("K2_1",)
    cond5, cond1 = agenda.focus
    # COND5: C12 → RT02 1; C13 → RT03 .5, RT02 .5: RT02 1.5, RT03 .5.
    assert cond5.rts == ("RT02", "RT03") and cond5.flags == ("faible",)
    # Keys on RT02/RT03: KEY1 has RT02 1.5 → 1.5·1.5 = 2.25; KEY2 has RT03 1.5 → .5·1.5 = .75;
    # KEY4 RT03 .5 → .25. KEY1 acts most.
    assert cond5.key == "KEY1"
    # COND1 (C01 → RT01 .5, RT11 .5): KEY2 (K2_1 RT01 1) → .5; KEY4 (K4_3 RT11 .5) → .25.
    assert cond1.rts == ("RT01", "RT11") and cond1.key == "KEY2"


def test_a_larger_focus_opens_a_point_per_dimension_in_agenda_order():
    agenda = retreat_agenda(INSTRUMENT, portrait(), focus=6)
    assert [pt.dimension for pt in agenda.focus] == ["COND5", "COND1", "COND6", "COND3"]
    assert agenda.also == ()
    assert agenda.focus[3].flags == ("divergent",)


def test_the_strongest_key_by_weight_and_none_when_no_key_touches_the_rt():
    # C05 + C09 (COND4): RT12 .5 + 1 = 1.5, RT10 .5. Only KEY5 touches them (K5_3 RT12 .5).
    weights = rt_weights(INSTRUMENT, ("C05", "C09"))
    assert weights == {"RT12": Fraction(3, 2), "RT10": Fraction(1, 2)}
    assert strongest_key(INSTRUMENT, weights) == "KEY5"
    # C03 (RT02 .5, RT09 .5): KEY1 .5·1.5 + .5·1.5 = 1.5 beats KEY4 (.5·2 = 1) and KEY2 (.25).
    assert strongest_key(INSTRUMENT, rt_weights(INSTRUMENT, ("C03",))) == "KEY1"
    # C11 feeds RT10 alone, which no key item feeds.
    assert strongest_key(INSTRUMENT, rt_weights(INSTRUMENT, ("C11",))) is None


def test_a_suppressed_portrait_has_nothing_to_discuss():
    hidden = score(INSTRUMENT, {"C01": counts(0, 0, 2)}, n_submitted=2, k=3)
    agenda = retreat_agenda(INSTRUMENT, hidden, focus=6)
    assert agenda.focus == () and agenda.also == () and agenda.strengths == ()


def test_three_years_side_by_side_with_steps_and_first_to_last():
    from partenariat.scoring.years import counts_differ_a_lot, year_table

    # C01 over three years: (1,1,1) → 50; (2,1,0) → 50·5/3 = 250/3; (3,0,0) → 100.
    sides = [(INSTRUMENT, {"C01": counts(1, 1, 1)}, 3, 3), (INSTRUMENT, {"C01": counts(2, 1, 0)}, 3, 3),
             (INSTRUMENT, {"C01": counts(3, 0, 0)}, 3, 3)]
    table = year_table(sides)
    row = table.row("items", "C01")
    assert row.values == (50, Fraction(250, 3), 100)
    # Steps: 250/3 − 50 = 100/3, 100 − 250/3 = 50/3; first → last: 50.
    assert row.steps == (Fraction(100, 3), Fraction(50, 3)) and row.overall == 50
    # COND1 is C01 alone (C02 unscored every year): the same row.
    assert table.row("dimensions", "COND1") == row
    assert table.row("dimensions", "COND2").values == (None, None, None)
    assert table.row("dimensions", "COND2").overall is None
    assert table.left_out == ()
    # 4 responses against 10: 2·4 < 10 → a caution; 5 against 10 is not under half.
    assert counts_differ_a_lot([10, 4]) and not counts_differ_a_lot([10, 5]) and not counts_differ_a_lot([7])
