"""The instrument loader: the shipped files match SPEC §2–§3; broken files fail clearly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from questionnaires.loader import INSTRUMENTS_ROOT, InstrumentError, load_folder, load_instrument

# SPEC §2.1, written out here independently of the data files.
CONDITIONS = {
    "COND1": ["C01", "C02"],
    "COND2": ["C03"],
    "COND3": ["C04"],
    "COND4": ["C05", "C09", "C10", "C11"],
    "COND5": ["C12", "C13", "C14", "C16"],
    "COND6": ["C06", "C07", "C08", "C15", "C17", "C18"],
}
# SPEC §3 item→RT mapping.
RT_MAPPING = {
    "C01": {"RT01": .5, "RT11": .5}, "C02": {"RT01": .5, "RT08": .5}, "C03": {"RT02": .5, "RT09": .5},
    "C04": {"RT03": .5, "RT09": .5}, "C05": {"RT12": .5, "RT10": .5}, "C06": {"RT04": .5, "RT01": .5},
    "C07": {"RT04": .5, "RT09": .5}, "C08": {"RT04": .5, "RT03": .5}, "C09": {"RT12": 1},
    "C10": {"RT10": .5, "RT11": .5}, "C11": {"RT10": 1}, "C12": {"RT02": 1},
    "C13": {"RT03": .5, "RT02": .5}, "C14": {"RT02": .5, "RT01": .5}, "C15": {"RT03": 1},
    "C16": {"RT09": .5, "RT02": .5}, "C17": {"RT04": 1}, "C18": {"RT02": .5, "RT11": .5},
    "K1_1": {"RT09": .5, "RT02": .5}, "K1_2": {"RT02": 1}, "K1_3": {"RT09": 1},
    "K2_1": {"RT01": 1}, "K2_2": {"RT03": 1}, "K2_3": {"RT09": .5, "RT03": .5},
    "K3_1": {"RT04": 1}, "K3_2": {"RT05": 1}, "K3_3": {"RT06": 1},
    "K4_1": {"RT09": 1}, "K4_2": {"RT09": .5, "RT03": .5}, "K4_3": {"RT09": .5, "RT11": .5},
    "K5_1": {"RT07": 1}, "K5_2": {"RT08": 1}, "K5_3": {"RT07": .5, "RT12": .5},
    "CV1": {"RT03": 1}, "CV2": {"RT03": 1}, "CV3": {"RT03": 1},
}
DOMAINS = {"D1": ["RT01", "RT02", "RT03"], "D2": ["RT04", "RT05", "RT06", "RT07", "RT08"],
           "D3": ["RT09", "RT10", "RT11", "RT12"]}


def test_shipped_instrument_matches_the_spec():
    instrument = load_instrument()
    assert instrument.version == "2026.1"
    assert [s.code for s in instrument.sections] == ["conditions", "keys", "controversies"]
    assert {code: list(d.items) for code, d in instrument.dimensions.items() if d.kind == "condition"} == CONDITIONS
    assert {code: d.items for code, d in instrument.dimensions.items() if d.kind == "key"} == {
        f"KEY{k}": tuple(f"K{k}_{i}" for i in (1, 2, 3)) for k in range(1, 6)
    }
    assert instrument.dimensions["CLIM"].items == ("CV1", "CV2", "CV3")
    assert {code: item.rt for code, item in instrument.items.items()} == RT_MAPPING
    assert {code: list(d.rts) for code, d in instrument.domains.items()} == DOMAINS
    assert instrument.scale == {"A": 2, "B": 1, "C": 0}
    assert [(b.code, b.min) for b in instrument.bands] == [("force", 75), ("a_consolider", 50), ("a_travailler", 0)]
    assert list(instrument.sectors) == ["institutionnel", "communautaire", "municipal", "prive", "citoyen", "philanthropique", "autre"]
    assert set(instrument.register) == {"nature", "status", "means", "effect"}
    assert list(instrument.register["status"]) == ["latente", "ouverte", "en_traitement", "resolue", "mise_de_cote"]


def test_every_item_has_distinct_graded_options_in_both_languages():
    instrument = load_instrument()
    for item in instrument.items.values():
        for lang in ("fr", "en"):
            texts = [item.options[o].get(lang) for o in "ABC"]
            assert len(set(texts)) == 3, item.code
            assert all(len(text) > 15 for text in texts), item.code
            assert item.statement.get(lang).strip()
        assert item.statement.fr != item.statement.en


@pytest.fixture
def broken(tmp_path):
    """Copy the shipped version, let the test edit one file, then load it."""
    folder = tmp_path / "v2026.1"
    shutil.copytree(INSTRUMENTS_ROOT / "v2026.1", folder)

    def edit(filename: str, old: str, new: str, count: int = 1) -> Path:
        path = folder / filename
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text not found: {old!r}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return folder

    return edit


def load_error(folder: Path) -> str:
    with pytest.raises(InstrumentError) as info:
        load_folder(folder, "2026.1")
    return str(info.value)


@pytest.mark.parametrize(
    ("filename", "old", "new", "expected"),
    [
        ("conditions.toml", 'code = "C02"', 'code = "C01"', r"conditions\.toml: item C01: code is used twice"),
        ("keys.toml", 'code = "K1_1"', 'code = "C05"', r"keys\.toml: item C05: code is already used in conditions\.toml"),
        ("conditions.toml", 'options.A.en = "Every sector', 'options.A.de = "Every sector', r"conditions\.toml: item C01 option A: 'A' has no 'en' text"),
        ("conditions.toml", 'statement.fr = "Qui, parmi', 'statement.es = "Qui, parmi', r"conditions\.toml: item C01: 'statement' has no 'fr' text"),
        ("conditions.toml", "rt = { RT01 = 0.5, RT11 = 0.5 }", "rt = { RT01 = 0.5, RT11 = 0.4 }", r"conditions\.toml: item C01: RT weights sum to 0\.9, not 1"),
        ("conditions.toml", "rt = { RT01 = 0.5, RT11 = 0.5 }", "rt = { RT01 = 0.5, RT99 = 0.5 }", r"conditions\.toml: item C01: maps to unknown RT 'RT99'"),
        ("conditions.toml", 'items = ["C01", "C02"]', 'items = ["C01"]', r"conditions\.toml: item C02: belongs to no dimension"),
        ("conditions.toml", 'items = ["C01", "C02"]', 'items = ["C01", "C02", "C99"]', r"conditions\.toml: dimension COND1: lists unknown item 'C99'"),
        ("conditions.toml", 'items = ["C03"]', 'items = ["C03", "C01"]', r"conditions\.toml: dimension COND2: item C01 is already in COND1"),
        ("keys.toml", 'version = "2026.1"', 'version = "2027.1"', r"keys\.toml: version: is '2027\.1' but the folder is for '2026\.1'"),
        ("controversies.toml", 'options.C.fr = "Nous évitons d\'en parler."\n', "", r"controversies\.toml: item CV1 option C: 'C' has no 'fr' text"),
        ("framework.toml", 'rts = ["RT01", "RT02", "RT03"]', 'rts = ["RT01", "RT02"]', r"framework\.toml: RT RT03: belongs to no domain"),
        ("framework.toml", "min = 50", "min = 80", r"framework\.toml: bands: must be listed from the highest 'min' down"),
        ("framework.toml", "C = 0\n", "", r"framework\.toml: scale: must give a value to exactly A, B, C"),
        ("conditions.toml", "[[items]]\ncode = \"C01\"", "[[items]\ncode = \"C01\"", r"conditions\.toml: not valid TOML"),
    ],
)
def test_broken_files_fail_naming_file_and_entry(broken, filename, old, new, expected):
    folder = broken(filename, old, new)
    assert re.search(expected, load_error(folder))


def test_missing_file_is_named(tmp_path):
    folder = tmp_path / "v2026.1"
    shutil.copytree(INSTRUMENTS_ROOT / "v2026.1", folder)
    (folder / "keys.toml").unlink()
    assert re.search(r"keys\.toml: file is missing", load_error(folder))


def test_rt_that_no_item_feeds_is_refused(broken):
    folder = broken("keys.toml", "rt = { RT06 = 1.0 }", "rt = { RT05 = 1.0 }")
    assert "framework.toml: RT RT06: no item maps to it" in load_error(folder)


def test_unknown_version_is_refused():
    with pytest.raises(InstrumentError, match="unknown instrument version '1999.9'"):
        load_instrument("1999.9")
