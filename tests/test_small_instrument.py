"""The scoring rules on the small test instrument, with every number worked out by hand.

Four responses:  Q1: A, A, B, C · Q2: B, B, B, NSP · K1: C, C, C, A · V1: NSP ×4.
Q1 → 50 × (2+2+1+0)/4 = 62.5 ; Q2 → 50 × 3/3 = 50 ; K1 → 50 × (0+0+0+2)/4 = 25 ; V1 → no score.
"""

from __future__ import annotations

from fractions import Fraction

from partenariat.scoring import score, tally

RESPONSES = [
    {"Q1": "A", "Q2": "B", "K1": "C", "V1": "NSP"},
    {"Q1": "A", "Q2": "B", "K1": "C", "V1": "NSP"},
    {"Q1": "B", "Q2": "B", "K1": "C", "V1": "NSP"},
    {"Q1": "C", "Q2": "NSP", "K1": "A", "V1": "NSP"},
]


def portrait(instrument, k=3):
    return score(instrument, tally(instrument.item_codes, RESPONSES), len(RESPONSES), k)


def test_items_dimensions_rt_and_domains(small_instrument):
    p = portrait(small_instrument)
    assert {c: i.score for c, i in p.items.items()} == {"Q1": Fraction(125, 2), "Q2": 50, "K1": 25, "V1": None}
    # CA = mean(62.5, 50) = 56.25, exactly; KA = 25; CL has no scored item.
    assert {c: d.score for c, d in p.dimensions.items()} == {"CA": Fraction(225, 4), "KA": 25, "CL": None}
    assert {c: d.band for c, d in p.dimensions.items()} == {"CA": "a_consolider", "KA": "a_travailler", "CL": None}
    # X1: Q1 (V1 has no score) → 62.5; X2: Q2 → 50; X3: (0.5 × 50 + 1 × 25) / 1.5 = 100/3.
    assert {c: r.score for c, r in p.rts.items()} == {"X1": Fraction(125, 2), "X2": 50, "X3": Fraction(100, 3)}
    assert {c: d.score for c, d in p.domains.items()} == {"D1": Fraction(125, 2), "D2": 50, "D3": Fraction(100, 3)}


def test_flags_and_agenda(small_instrument):
    p = portrait(small_instrument)
    # K1: 3·C = 9 ≥ 4 → weak; 4·A = 4 ≥ 4 and 4·C = 12 ≥ 4 → divergent too.
    # Q1: A 2 · B 1 · C 1 → 4·A = 8 ≥ 4 and 4·C = 4 ≥ 4 → divergent; not weak (3·C = 3 < 4).
    assert p.items["K1"].flags == ("faible", "divergent") and p.items["Q1"].flags == ("divergent",)
    assert p.items["Q2"].flags == () and p.items["V1"].flags == ()
    assert p.agenda == ("K1", "Q1")  # weak first, then divergent not already listed


def test_below_k_nothing_is_shown(small_instrument):
    p = portrait(small_instrument, k=5)
    assert p.suppressed and p.agenda == () and all(i.score is None for i in p.items.values())


def test_a_new_version_with_one_more_item_leaves_the_older_one_alone(tmp_path, small_instrument):
    """Adding a question means a new version folder; campaigns on the older one keep theirs."""
    import shutil
    from pathlib import Path

    from questionnaires.loader import load_instrument

    source = Path(__file__).resolve().parent / "instrument" / "v1.0"
    shutil.copytree(source, tmp_path / "v1.0")
    newer = tmp_path / "v1.1"
    shutil.copytree(source, newer)
    for path in newer.glob("*.toml"):
        path.write_text(path.read_text(encoding="utf-8").replace('version = "1.0"', 'version = "1.1"'), encoding="utf-8")
    conditions = newer / "conditions.toml"
    text = conditions.read_text(encoding="utf-8").replace('items = ["Q1", "Q2"]', 'items = ["Q1", "Q2", "Q3"]')
    block = text[text.index("[[items]]\ncode = \"Q2\""):]
    conditions.write_text(text + "\n" + block.replace('"Q2"', '"Q3"').replace("Q2", "Q3"), encoding="utf-8")
    latest = load_instrument(root=tmp_path)
    assert latest.version == "1.1" and latest.item_codes == ("Q1", "Q2", "Q3", "K1", "V1")
    older = load_instrument("1.0", root=tmp_path)
    assert portrait(older).dimensions["CA"].score == portrait(small_instrument).dimensions["CA"].score
