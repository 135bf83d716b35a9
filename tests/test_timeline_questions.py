"""The question grid data file: loaded, complete, and checked like the instruments."""

from __future__ import annotations

import shutil

import pytest

from partenariat.timeline.model import SETBACK_RTS
from partenariat.timeline.profile import READING_KEYS
from partenariat.timeline.questions import QUESTIONS_FILE, load_grid, load_questions
from questionnaires import InstrumentError, load_instrument


def test_the_grid_covers_every_rt_both_moments_and_both_languages():
    grid = load_questions()
    instrument = load_instrument()
    assert list(grid.by_rt) == list(instrument.rts)
    assert all(any("back" in q.moments for q in qs) and any("forward" in q.moments for q in qs) for qs in grid.by_rt.values())
    assert {m for q in grid.general for m in q.moments} == {"back", "forward"}
    assert sorted(grid.setbacks) == sorted(SETBACK_RTS) and list(grid.readings) == list(READING_KEYS)
    every = grid.questions()
    assert len({q.code for q in every}) == len(every) == len(grid.general) + sum(len(qs) for qs in grid.by_rt.values())
    assert all(q.text.fr and q.text.en and q.text.fr != q.text.en for q in every)
    assert all(grid.examples[code].fr for code in instrument.rts)
    assert "score" in grid.reading_note.en and "score" in grid.reading_note.fr


def test_questions_are_chosen_by_moment_and_rt():
    grid = load_questions()
    forward_rt12 = grid.questions("forward", "RT12")
    assert [q.code for q in forward_rt12] == [*(q.code for q in grid.general if "forward" in q.moments), "RT12_2"]
    assert all(q.rt in (None, "RT12") for q in forward_rt12)


@pytest.mark.parametrize(("old", "new", "message"), [
    ('code = "RT05"\n', 'code = "RT13"\n', "questions.toml: RT RT13: is not an RT of the framework"),
    ('moments = ["back"]\ntext.fr = "Qu\'avons-nous', 'moments = ["soon"]\ntext.fr = "Qu\'avons-nous',
     "questions.toml: question G04: moment 'soon' is not one of back, forward"),
    ('text.en = "Which rule or body do we lack for the next stage?"\n', "",
     "questions.toml: question RT02_2: 'text' has no 'en' text"),
    ('[setbacks.RT12]', '[setbacks.RT08]', "questions.toml: setbacks: must word exactly RT09, RT10, RT11, RT12"),
    ('code = "RT03_2"', 'code = "RT03_1"', "questions.toml: question RT03_1: code is used twice"),
    ('mixed.', 'melange.', "questions.toml: reading.texts: must word exactly"),
])
def test_a_broken_copy_names_its_file_and_entry(tmp_path, old, new, message):
    text = QUESTIONS_FILE.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "questions.toml"
    broken.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_grid(broken, tuple(load_instrument().rts))
    assert message in str(caught.value)


def test_an_unreadable_file_is_named(tmp_path):
    broken = tmp_path / "questions.toml"
    shutil.copy(QUESTIONS_FILE, broken)
    broken.write_text(broken.read_text(encoding="utf-8") + "\n[[general\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match="questions.toml: not valid TOML"):
        load_grid(broken, tuple(load_instrument().rts))
