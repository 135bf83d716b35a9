"""Every interface string exists in French (msgids are English), with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("**/.venv/**", "ignore"), ("tests/**", "ignore"), ("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {}}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_interface_string_has_a_french_translation():
    catalog = read_po((ROOT / "translations/fr/LC_MESSAGES/messages.po").open("rb"))
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        translated[ids[0]] = strings if all(strings) else None
        for msgstr in strings:
            assert set(PLACEHOLDER.findall(ids[0])) == set(PLACEHOLDER.findall(msgstr)), ids[0]
    missing = sorted(m for m in source_messages() if not translated.get(m))
    assert not missing, f"untranslated strings: {missing}"


def test_the_catalog_has_each_message_once():
    """Branches that both add a message would leave it twice (the catalog merges by union)."""
    text = (ROOT / "translations/fr/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    ids = re.findall(r'^msgid ((?:".*"\n)+)msgstr', text, re.M)
    repeated = sorted({i for i in ids if i != '""\n' and ids.count(i) > 1})
    assert not repeated, f"messages listed twice: {repeated}"
