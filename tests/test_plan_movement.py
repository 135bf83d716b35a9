"""What moved for each target of an action (SPEC §9, §4.9 rules), on the small test instrument
(tests/instrument/v1.0) and a version 1.1 of it that adds a question Q3 to dimension CA.
Every number is worked out by hand in the comments.

Earlier release (v1.0), four responses:
  Q1: A A B C → 50 × 5/4 = 62.5 · Q2: B B B NSP → 50 · K1: C C C A → 25 · V1: NSP ×4 → none
  CA = mean(Q1, Q2) = 56.25 · KA = K1 = 25 · X2 = Q2 = 50 · X3 = (.5 × 50 + 1 × 25) / 1.5 = 100/3
Later release (v1.1), four responses:
  Q1: A A A B → 50 × 7/4 = 87.5 · Q2: A B B C → 50 × 4/4 = 50 · Q3: A ×4 → 100 · K1: B ×4 → 50
"""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from partenariat.plan.model import MOVEMENT_REASONS, TargetKind, TargetRef
from partenariat.plan.movement import RegisterEntry, movements
from partenariat.scoring import tally

EARLIER = [
    {"Q1": "A", "Q2": "B", "K1": "C", "V1": "NSP"},
    {"Q1": "A", "Q2": "B", "K1": "C", "V1": "NSP"},
    {"Q1": "B", "Q2": "B", "K1": "C", "V1": "NSP"},
    {"Q1": "C", "Q2": "NSP", "K1": "A", "V1": "NSP"},
]
LATER = [
    {"Q1": "A", "Q2": "A", "Q3": "A", "K1": "B"},
    {"Q1": "A", "Q2": "B", "Q3": "A", "K1": "B"},
    {"Q1": "A", "Q2": "B", "Q3": "A", "K1": "B"},
    {"Q1": "B", "Q2": "C", "Q3": "A", "K1": "B"},
]


@pytest.fixture(scope="module")
def newer_instrument(tmp_path_factory):
    """Version 1.1: the same instrument with Q3 added to CA (mapped like Q2: X2 .5, X3 .5)."""
    from questionnaires.loader import load_folder

    source = Path(__file__).resolve().parent / "instrument" / "v1.0"
    folder = tmp_path_factory.mktemp("instrument") / "v1.1"
    shutil.copytree(source, folder)
    for path in folder.glob("*.toml"):
        path.write_text(path.read_text(encoding="utf-8").replace('version = "1.0"', 'version = "1.1"'),
                        encoding="utf-8")
    conditions = folder / "conditions.toml"
    text = conditions.read_text(encoding="utf-8").replace('items = ["Q1", "Q2"]', 'items = ["Q1", "Q2", "Q3"]')
    block = text[text.index('[[items]]\ncode = "Q2"'):]
    conditions.write_text(text + "\n" + block.replace("Q2", "Q3"), encoding="utf-8")
    return load_folder(folder, "1.1")


def side(instrument, responses, k=3):
    return instrument, tally(instrument.item_codes, responses), len(responses), k


def item(code):
    return TargetRef(TargetKind.ITEM, code)


def dimension(code):
    return TargetRef(TargetKind.DIMENSION, code)


def rt(code):
    return TargetRef(TargetKind.RT, code)


def test_items_and_dimensions_across_two_versions(small_instrument, newer_instrument):
    q1, q3, ca, ka = movements([item("Q1"), item("Q3"), dimension("CA"), dimension("KA")],
                               side(small_instrument, EARLIER), side(newer_instrument, LATER))
    assert (q1.before, q1.after, q1.delta, q1.comparable) == (Fraction(125, 2), Fraction(175, 2), 25, True)
    assert q1.note is None and q1.label.en == "Statement Q1"
    # Q3 is not in v1.0: no movement, and no invented zero on either side.
    assert (q3.comparable, q3.reason, q3.before, q3.after, q3.delta) == (False, "absent_before", None, None, None)
    assert q3.label.en == "Statement Q3"
    # CA on the questions both versions share (Q1, Q2): 56.25 → mean(87.5, 50) = 68.75, +12.5;
    # not mean(87.5, 50, 100) = 79.17, which would count Q3 as movement.
    assert (ca.before, ca.after, ca.delta) == (Fraction(225, 4), Fraction(275, 4), Fraction(25, 2))
    assert ca.comparable and ca.note == "items_differ" and ca.left_out == ("Q3",)
    # KA has the same question in both: 25 → 50, nothing to say.
    assert (ka.before, ka.after, ka.delta, ka.note, ka.left_out) == (25, 50, 25, None, ())


def test_rt_across_two_versions(small_instrument, newer_instrument):
    x2, x3 = movements([rt("X2"), rt("X3")], side(small_instrument, EARLIER), side(newer_instrument, LATER))
    # X2 is fed by Q2 only on the shared questions: 50 → 50.
    assert (x2.before, x2.after, x2.delta, x2.left_out) == (50, 50, 0, ("Q3",))
    # X3 = (.5 × Q2 + 1 × K1) / 1.5: (25 + 25)/1.5 = 100/3 → (25 + 50)/1.5 = 50; +50/3.
    assert (x3.before, x3.after, x3.delta) == (Fraction(100, 3), 50, Fraction(50, 3))
    assert x3.note == "items_differ"


def test_a_question_the_later_version_lacks(small_instrument, newer_instrument):
    """An action of a v1.1 campaign on Q3, read by a campaign back on v1.0."""
    (q3,) = movements([item("Q3")], side(newer_instrument, LATER), side(small_instrument, EARLIER))
    assert (q3.comparable, q3.reason, q3.before, q3.after) == (False, "absent_after", 100, None)


def test_no_score_on_one_side_and_no_later_release(small_instrument):
    (cl,) = movements([dimension("CL")], side(small_instrument, EARLIER), side(small_instrument, EARLIER))
    assert (cl.comparable, cl.reason) == (False, "no_score_before")  # V1 was only NSP
    # The later campaign below k: its scores are hidden, so there is no movement to show.
    (q1,) = movements([item("Q1")], side(small_instrument, EARLIER), side(small_instrument, LATER[:2], k=3))
    assert (q1.comparable, q1.reason, q1.before, q1.after) == (False, "no_score_after", Fraction(125, 2), None)
    (alone,) = movements([item("Q1")], side(small_instrument, EARLIER), None)
    assert (alone.comparable, alone.reason, alone.before) == (False, "no_release_after", Fraction(125, 2))


def test_a_controversy_moves_by_its_register_status(small_instrument):
    register = {7: RegisterEntry("Partage du local", "ouverte", "resolue"),
                8: RegisterEntry("Horaire", None, "ouverte")}
    then_now, only_now = movements([TargetRef(TargetKind.CONTROVERSY, controversy_id=7),
                                    TargetRef(TargetKind.CONTROVERSY, controversy_id=8)],
                                   side(small_instrument, EARLIER), side(small_instrument, EARLIER), register)
    assert (then_now.status_before, then_now.status_after, then_now.comparable) == ("ouverte", "resolue", True)
    assert then_now.label.fr == "Partage du local" and then_now.delta is None
    assert (only_now.status_before, only_now.status_after, only_now.comparable, only_now.reason) == \
        (None, "ouverte", False, "no_record_before")


def test_every_reason_has_a_message():
    reasons = {"absent_before", "absent_after", "no_shared_items", "no_score_before", "no_score_after",
               "no_release_after", "no_later_campaign", "no_record_before", "no_record_after", "items_differ"}
    assert reasons == set(MOVEMENT_REASONS)
