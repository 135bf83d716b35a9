"""The question grid of the timeline, from ``questionnaires/timeline/questions.toml``.

Checked on load like the instruments: a typo fails loudly, naming the file and the entry.
The grid holds general questions and questions per RT, each for looking back and/or looking
forward; the wording of a setback on RT09–RT12; an example per RT for the workshop cards (the
names and definitions stay in the framework); and the wording of our reading of a profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from partenariat.timeline.model import SETBACK_RTS
from partenariat.timeline.profile import READING_KEYS
from questionnaires.loader import INSTRUMENTS_ROOT, Localized, _codes, _Reader

QUESTIONS_FILE = INSTRUMENTS_ROOT / "timeline" / "questions.toml"
MOMENTS = ("back", "forward")


@dataclass(frozen=True)
class Question:
    code: str
    rt: str | None  # None for a general question
    moments: tuple[str, ...]
    text: Localized


@dataclass(frozen=True)
class Setback:
    rt: str
    name: Localized
    definition: Localized


@dataclass(frozen=True)
class QuestionGrid:
    version: str
    moments: dict[str, Localized]
    general: tuple[Question, ...]
    by_rt: dict[str, tuple[Question, ...]]
    examples: dict[str, Localized]
    setbacks: dict[str, Setback]
    reading_note: Localized
    readings: dict[str, Localized]

    def questions(self, moment: str | None = None, rt: str | None = None) -> list[Question]:
        """General questions then those of ``rt`` (of every RT when None), for ``moment``."""
        chosen = [*self.general, *(q for code, qs in self.by_rt.items() if rt in (None, code) for q in qs)]
        return [q for q in chosen if moment is None or moment in q.moments]


def _question(reader: _Reader, raw: dict, code: str, rt: str | None, where: str) -> Question:
    moments = reader.array(raw, "moments", where)
    for moment in moments:
        if moment not in MOMENTS:
            raise reader.fail(where, f"moment {moment!r} is not one of {', '.join(MOMENTS)}")
    if len(set(moments)) != len(moments):
        raise reader.fail(where, "a moment is listed twice")
    return Question(code, rt, tuple(m for m in MOMENTS if m in moments), reader.localized(raw, "text", where))


def load_grid(path: Path, rt_codes: tuple[str, ...]) -> QuestionGrid:
    """Load and check a question grid against the framework's RT codes; raises InstrumentError."""
    reader = _Reader(Path(path))
    data = reader.data
    version = reader.version(None)
    if reader.string(data, "instrument", "instrument") != "timeline":
        raise reader.fail("instrument", "must be 'timeline'")
    moments = reader.vocabulary(data, "moments", "moments")
    if sorted(moments) != sorted(MOMENTS):
        raise reader.fail("moments", f"must name exactly {', '.join(MOMENTS)}")

    raw_general = reader.array(data, "general", "general")
    general_codes = _codes(reader, raw_general, "general", "question", r"G\d{2}")
    seen = set(general_codes)
    general = tuple(_question(reader, raw, code, None, f"question {code}")
                    for code, raw in zip(general_codes, raw_general, strict=True))

    raw_rts = reader.array(data, "rt", "rt")
    codes = _codes(reader, raw_rts, "rt", "RT")
    for code in codes:
        if code not in rt_codes:
            raise reader.fail(f"RT {code}", "is not an RT of the framework")
    missing = [code for code in rt_codes if code not in codes]
    if missing:
        raise reader.fail("rt", f"has no entry for {', '.join(missing)}")
    by_rt, examples = {}, {}
    for code, raw in zip(codes, raw_rts, strict=True):
        where = f"RT {code}"
        examples[code] = reader.localized(raw, "example", where)
        raw_questions = reader.array(raw, "questions", where)
        question_codes = _codes(reader, raw_questions, f"{where}.questions", "question", rf"{code}_\d+")
        for question_code in question_codes:
            if question_code in seen:
                raise reader.fail(f"question {question_code}", "code is used twice")
            seen.add(question_code)
        by_rt[code] = tuple(_question(reader, q, qc, code, f"question {qc}")
                            for qc, q in zip(question_codes, raw_questions, strict=True))
    by_rt = {code: by_rt[code] for code in rt_codes}

    raw_setbacks = reader.table(data, "setbacks", "setbacks")
    if sorted(raw_setbacks) != sorted(SETBACK_RTS):
        raise reader.fail("setbacks", f"must word exactly {', '.join(SETBACK_RTS)}")
    setbacks = {}
    for code in SETBACK_RTS:
        raw = reader.table(raw_setbacks, code, f"setbacks.{code}")
        setbacks[code] = Setback(code, reader.localized(raw, "name", f"setbacks.{code}"),
                                 reader.localized(raw, "definition", f"setbacks.{code}"))

    reading = reader.table(data, "reading", "reading")
    note = reader.localized(reading, "note", "reading")
    readings = reader.vocabulary(reading, "texts", "reading")
    if sorted(readings) != sorted(READING_KEYS):
        raise reader.fail("reading.texts", f"must word exactly {', '.join(READING_KEYS)}")
    return QuestionGrid(version, moments, general, by_rt, examples, setbacks, note,
                        {key: readings[key] for key in READING_KEYS})


@lru_cache(maxsize=4)
def load_questions(path: Path = QUESTIONS_FILE) -> QuestionGrid:
    """The validated grid, checked against the latest framework's RT, cached per process."""
    from questionnaires import load_instrument

    return load_grid(path, tuple(load_instrument().rts))
