"""Load and validate the instrument data files.

An instrument version is a folder ``v<version>/`` holding four TOML files: the frame
(``framework.toml``: scale, bands, sectors, RT and domains) and the three questionnaires
in the order partners see them. Everything is checked on load so that a typo in a data
file fails loudly, naming the file and the entry, instead of skewing a portrait later.

Pure Python: no Flask, no database.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("fr", "en")
ANSWER_CODES = ("A", "B", "C")
MISSING_CODE = "NSP"
INSTRUMENTS_ROOT = Path(__file__).resolve().parent
SECTION_FILES = ("conditions", "keys", "controversies")
FRAMEWORK_FILE = "framework"
REGISTER_VOCABULARIES = ("nature", "status", "means", "effect")
FLAG_CODES = ("faible", "divergent", "force")
# A response file (the import format of README.md, and the paper entry template) starts with these
# columns, then has one column per item code of its instrument version.
RESPONSE_FILE_COLUMNS = ("respondent", "sector", "lang")


class InstrumentError(ValueError):
    """A data file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Localized:
    fr: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


@dataclass(frozen=True)
class Item:
    code: str
    section: str
    dimension: str
    statement: Localized
    options: dict[str, Localized]
    rt: dict[str, float]


@dataclass(frozen=True)
class Dimension:
    code: str
    kind: str  # condition / key / climate
    name: Localized
    items: tuple[str, ...]
    # An opening question for the retreat (keys have one).
    prompt: Localized | None = None


@dataclass(frozen=True)
class Section:
    code: str
    title: Localized
    intro: Localized
    items: tuple[str, ...]
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class TransitionalResult:
    code: str
    domain: str
    name: Localized
    definition: Localized


@dataclass(frozen=True)
class Domain:
    code: str
    name: Localized
    rts: tuple[str, ...]


@dataclass(frozen=True)
class Band:
    code: str
    min: float
    name: Localized


# Compared and hashed by identity: one object per loaded version (load_instrument caches them),
# so that per-instrument results can be cached too.
@dataclass(frozen=True, eq=False)
class Instrument:
    version: str
    scale: dict[str, int]
    missing_label: Localized
    bands: tuple[Band, ...]
    sectors: dict[str, Localized]
    flags: dict[str, Localized]
    flag_prompts: dict[str, Localized]
    sections: tuple[Section, ...]
    items: dict[str, Item]
    dimensions: dict[str, Dimension]
    rts: dict[str, TransitionalResult]
    domains: dict[str, Domain]
    register: dict[str, dict[str, Localized]] = field(default_factory=dict)

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(self.items)

    @property
    def response_file_header(self) -> list[str]:
        """The header of a response file for this version: respondent, sector, lang, items."""
        return [*RESPONSE_FILE_COLUMNS, *self.items]

    def section(self, code: str) -> Section:
        for section in self.sections:
            if section.code == code:
                return section
        raise KeyError(code)


class _Reader:
    """Typed access to one parsed TOML file, with errors that name the file and entry."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InstrumentError(f"{path}: file is missing") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InstrumentError(f"{path}: not valid TOML ({exc})") from None

    def fail(self, entry: str, problem: str) -> InstrumentError:
        return InstrumentError(f"{self.path.name}: {entry}: {problem}")

    def table(self, parent: dict, key: str, entry: str) -> dict:
        value = parent.get(key)
        if not isinstance(value, dict):
            raise self.fail(entry, f"'{key}' must be a table")
        return value

    def array(self, parent: dict, key: str, entry: str) -> list:
        value = parent.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(entry, f"'{key}' must be a non-empty list")
        return value

    def string(self, parent: dict, key: str, entry: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, f"'{key}' must be a non-empty string")
        return value

    def localized(self, parent: dict, key: str, entry: str) -> Localized:
        value = parent.get(key)
        if not isinstance(value, dict):
            raise self.fail(entry, f"'{key}' needs a text in each of {', '.join(LANGUAGES)}")
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                raise self.fail(entry, f"'{key}' has no {lang!r} text")
        extra = set(value) - set(LANGUAGES)
        if extra:
            raise self.fail(entry, f"'{key}' has unknown languages {sorted(extra)}")
        return Localized(fr=value["fr"].strip(), en=value["en"].strip())

    def vocabulary(self, parent: dict, key: str, entry: str) -> dict[str, Localized]:
        table = self.table(parent, key, entry)
        if not table:
            raise self.fail(entry, f"'{key}' is empty")
        return {code: self.localized(table, code, f"{entry}.{code}") for code in table}

    def version(self, expected: str | None) -> str:
        version = self.string(self.data, "version", "version")
        if expected is not None and version != expected:
            raise self.fail("version", f"is {version!r} but the folder is for {expected!r}")
        return version


def _codes(
    reader: _Reader, entries: list, entry: str, kind: str, pattern: str = r"[A-Z][A-Z0-9_]*"
) -> list[str]:
    codes = []
    for index, raw in enumerate(entries):
        where = f"{entry}[{index}]"
        if not isinstance(raw, dict):
            raise reader.fail(where, "must be a table")
        code = reader.string(raw, "code", where)
        if not re.fullmatch(pattern, code):
            raise reader.fail(where, f"{kind} code {code!r} does not match {pattern}")
        if code in codes:
            raise reader.fail(f"{kind} {code}", "code is used twice")
        codes.append(code)
    return codes


def _load_framework(path: Path, folder_version: str | None) -> dict:
    """The framework's fields of the Instrument, checked (in the order of the file)."""
    reader = _Reader(path)
    data = reader.data
    version = reader.version(folder_version)
    scale = _scale(reader)
    missing_label = reader.localized(reader.table(data, "scale_labels", "scale_labels"), MISSING_CODE, "scale_labels")
    bands = _bands(reader)
    sectors = reader.vocabulary(data, "sectors", "sectors")
    flags = reader.vocabulary(data, "flags", "flags")
    flag_prompts = reader.vocabulary(data, "flag_prompts", "flag_prompts")
    for name, vocabulary in (("flags", flags), ("flag_prompts", flag_prompts)):
        if sorted(vocabulary) != sorted(FLAG_CODES):
            raise reader.fail(name, f"must name exactly {', '.join(FLAG_CODES)}")
    rts, domains = _rts_and_domains(reader)
    return {"version": version, "scale": scale, "missing_label": missing_label, "bands": bands, "sectors": sectors,
            "flags": flags, "flag_prompts": flag_prompts, "rts": rts, "domains": domains}


def _number(value) -> bool:
    """An int or a float, not a bool (which TOML readers would otherwise count as 0 or 1)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scale(reader: _Reader) -> dict[str, int]:
    scale = reader.table(reader.data, "scale", "scale")
    if sorted(scale) != sorted(ANSWER_CODES):
        raise reader.fail("scale", f"must give a value to exactly {', '.join(ANSWER_CODES)}")
    for code, value in scale.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise reader.fail(f"scale.{code}", "must be a non-negative integer")
    if max(scale.values()) == 0:
        raise reader.fail("scale", "needs at least one positive value")
    return dict(scale)


def _bands(reader: _Reader) -> tuple[Band, ...]:
    raw_bands = reader.array(reader.data, "bands", "bands")
    band_codes = _codes(reader, raw_bands, "bands", "band", r"[a-z][a-z_]*")
    bands = []
    for code, raw in zip(band_codes, raw_bands, strict=True):
        minimum = raw.get("min")
        if not _number(minimum):
            raise reader.fail(f"band {code}", "'min' must be a number")
        bands.append(Band(code, float(minimum), reader.localized(raw, "name", f"band {code}")))
    mins = [band.min for band in bands]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise reader.fail("bands", "must be listed from the highest 'min' down, without repeats")
    if mins[-1] != 0:
        raise reader.fail("bands", "the last band must start at 0 so that every score has a band")
    return tuple(bands)


def _rts_and_domains(reader: _Reader) -> tuple[dict[str, TransitionalResult], dict[str, Domain]]:
    """The RT and the domains, each RT in exactly one domain."""
    raw_rts = reader.array(reader.data, "rts", "rts")
    rt_codes = _codes(reader, raw_rts, "rts", "RT")
    raw_domains = reader.array(reader.data, "domains", "domains")
    domain_codes = _codes(reader, raw_domains, "domains", "domain")
    domain_of: dict[str, str] = {}
    domains = {}
    for code, raw in zip(domain_codes, raw_domains, strict=True):
        where = f"domain {code}"
        members = reader.array(raw, "rts", where)
        _claim(reader, where, members, rt_codes, domain_of, code, "RT", "domain ")
        domains[code] = Domain(code, reader.localized(raw, "name", where), tuple(members))
    rts = {}
    for code, raw in zip(rt_codes, raw_rts, strict=True):
        where = f"RT {code}"
        if code not in domain_of:
            raise reader.fail(where, "belongs to no domain")
        rts[code] = TransitionalResult(code, domain_of[code], reader.localized(raw, "name", where),
                                       reader.localized(raw, "definition", where))
    return rts, domains


def _claim(reader: _Reader, where: str, members: list, known, owner_of: dict[str, str], owner: str,
           member_kind: str, owner_prefix: str) -> None:
    """Record that ``owner`` holds ``members``: each must be known and held by no one else
    ("RT RT03 is already in domain D1", "item C01 is already in COND1")."""
    for member in members:
        if member not in known:
            raise reader.fail(where, f"lists unknown {member_kind} {member!r}")
        if member in owner_of:
            raise reader.fail(where, f"{member_kind} {member} is already in {owner_prefix}{owner_of[member]}")
        owner_of[member] = owner


def _load_section(path: Path, version: str, rts: dict, seen_items: dict[str, str]):
    reader = _Reader(path)
    data = reader.data
    reader.version(version)
    section_code = reader.string(data, "instrument", "instrument")
    if section_code != path.stem:
        raise reader.fail("instrument", f"is {section_code!r} but the file is {path.name}")
    kind = reader.string(data, "kind", "kind")
    raw_items = reader.array(data, "items", "items")
    item_codes = _codes(reader, raw_items, "items", "item")
    for code in item_codes:
        if code in seen_items:
            raise reader.fail(f"item {code}", f"code is already used in {seen_items[code]}")
        seen_items[code] = path.name
    dimensions, dimension_of = _dimensions(reader, kind, item_codes)
    items = {}
    for code, raw in zip(item_codes, raw_items, strict=True):
        if code not in dimension_of:
            raise reader.fail(f"item {code}", "belongs to no dimension")
        items[code] = _item(reader, code, raw, section_code, dimension_of[code], rts)
    register = _register(reader)
    section = Section(
        section_code,
        reader.localized(data, "title", "title"),
        reader.localized(data, "intro", "intro"),
        tuple(item_codes),
        tuple(dimensions),
    )
    return section, items, dimensions, register


def _dimensions(reader: _Reader, kind: str, item_codes: list[str]) -> tuple[dict[str, Dimension], dict[str, str]]:
    """The section's dimensions, and the dimension of each item (each in exactly one)."""
    raw_dims = reader.array(reader.data, "dimensions", "dimensions")
    dim_codes = _codes(reader, raw_dims, "dimensions", "dimension")
    dimension_of: dict[str, str] = {}
    dimensions = {}
    for code, raw in zip(dim_codes, raw_dims, strict=True):
        where = f"dimension {code}"
        members = reader.array(raw, "items", where)
        _claim(reader, where, members, item_codes, dimension_of, code, "item", "")
        prompt = reader.localized(raw, "prompt", where) if "prompt" in raw else None
        dimensions[code] = Dimension(code, kind, reader.localized(raw, "name", where), tuple(members), prompt)
    return dimensions, dimension_of


def _item(reader: _Reader, code: str, raw: dict, section_code: str, dimension: str, rts: dict) -> Item:
    where = f"item {code}"
    raw_options = reader.table(raw, "options", where)
    if sorted(raw_options) != sorted(ANSWER_CODES):
        raise reader.fail(where, f"needs exactly the options {', '.join(ANSWER_CODES)}")
    options = {option: reader.localized(raw_options, option, f"{where} option {option}") for option in ANSWER_CODES}
    return Item(
        code=code,
        section=section_code,
        dimension=dimension,
        statement=reader.localized(raw, "statement", where),
        options=options,
        rt=_rt_weights(reader, where, raw, rts),
    )


def _rt_weights(reader: _Reader, where: str, raw: dict, rts: dict) -> dict[str, float]:
    """The item's RT weights: known RT, positive weights that sum to 1."""
    weights = reader.table(raw, "rt", where)
    if not weights:
        raise reader.fail(where, "maps to no RT")
    for rt, weight in weights.items():
        if rt not in rts:
            raise reader.fail(where, f"maps to unknown RT {rt!r}")
        if not _number(weight) or weight <= 0:
            raise reader.fail(where, f"weight of {rt} must be a positive number")
    total = sum(weights.values())
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise reader.fail(where, f"RT weights sum to {total:g}, not 1")
    return {rt: float(weight) for rt, weight in weights.items()}


def _register(reader: _Reader) -> dict[str, dict[str, Localized]]:
    """The controversy register's vocabularies, for the section that has them."""
    if "register" not in reader.data:
        return {}
    raw_register = reader.table(reader.data, "register", "register")
    return {name: reader.vocabulary(raw_register, name, f"register.{name}") for name in REGISTER_VOCABULARIES}


def load_folder(folder: Path, version: str | None = None) -> Instrument:
    """Load one instrument version from ``folder``; raises InstrumentError."""
    folder = Path(folder)
    framework_path = folder / f"{FRAMEWORK_FILE}.toml"
    frame = _load_framework(framework_path, version)
    version, rts = frame["version"], frame["rts"]
    sections, items, dimensions, register = [], {}, {}, {}
    seen_items: dict[str, str] = {}
    for name in SECTION_FILES:
        section, section_items, section_dims, section_register = _load_section(
            folder / f"{name}.toml", version, rts, seen_items
        )
        for code in section_dims:
            if code in dimensions:
                raise InstrumentError(f"{name}.toml: dimension {code}: code is used twice")
        sections.append(section)
        items.update(section_items)
        dimensions.update(section_dims)
        register.update(section_register)
    unmapped = [code for code in rts if not any(code in item.rt for item in items.values())]
    if unmapped:
        raise InstrumentError(
            f"{framework_path.name}: RT {unmapped[0]}: no item maps to it, so it could never be scored"
        )
    if sorted(register) != sorted(REGISTER_VOCABULARIES):
        raise InstrumentError("controversies.toml: register: the controversy vocabulary is missing")
    return Instrument(**frame, sections=tuple(sections), items=items, dimensions=dimensions, register=register)


def available_versions(root: Path = INSTRUMENTS_ROOT) -> list[str]:
    """Versions on disk, oldest first (folders named ``v<version>``)."""
    versions = [p.name[1:] for p in Path(root).iterdir() if p.is_dir() and p.name.startswith("v")]
    return sorted(versions, key=lambda v: [int(part) if part.isdigit() else part for part in re.split(r"[.]", v)])


def latest_version(root: Path = INSTRUMENTS_ROOT) -> str:
    versions = available_versions(root)
    if not versions:
        raise InstrumentError(f"{root}: no instrument folder (v<version>/) found")
    return versions[-1]


@lru_cache(maxsize=8)
def load_instrument(version: str | None = None, root: Path = INSTRUMENTS_ROOT) -> Instrument:
    """The validated instrument of ``version`` (the latest when None), cached per process."""
    version = version or latest_version(root)
    folder = Path(root) / f"v{version}"
    if not folder.is_dir():
        raise InstrumentError(f"{folder}: unknown instrument version {version!r}")
    return load_folder(folder, version)
