"""What changed between two frozen states of a project's timeline.

Pure: a snapshot is the JSON document of ``exports.timeline_json.as_dict`` (plain dicts and
lists), and so is the timeline of today once exported, so two snapshots, or a snapshot and
today, are compared the same way. Events and effects are matched by ref (the partnership's
own label), links by their two ends. Derived values (an event's domain and ``leads_to``, the
profile) are left out: they follow from what is compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EVENT_FIELDS = ("date", "title", "description", "actors", "evidence", "rt", "kind", "status", "controversy_id")
EFFECT_FIELDS = ("date", "title", "description", "evidence")
LINK_FIELDS = ("rationale",)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class Changed:
    key: str  # the ref, or "A → B" for a link
    title: str  # its title today (the newer side), for reading
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Changes:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def counts(self) -> tuple[int, int, int]:
        return len(self.added), len(self.removed), len(self.changed)


@dataclass(frozen=True)
class TimelineDiff:
    events: Changes
    effects: Changes
    links: Changes

    @property
    def empty(self) -> bool:
        return self.events.empty and self.effects.empty and self.links.empty


def _link_key(link: dict) -> str:
    return f"{link['from']} → {link['to']}"


def _compare(old: list[dict], new: list[dict], key, fields: tuple[str, ...], title) -> Changes:
    """Added and changed in the newer document's order, removed in the older one's."""
    before = {key(item): item for item in old}
    after = {key(item): item for item in new}
    changes = Changes()
    for k, item in after.items():
        if k not in before:
            changes.added.append(item)
            continue
        moved = tuple(FieldChange(f, before[k].get(f), item.get(f)) for f in fields if before[k].get(f) != item.get(f))
        if moved:
            changes.changed.append(Changed(k, title(item), moved))
    changes.removed.extend(item for k, item in before.items() if k not in after)
    return changes


def diff(old: dict, new: dict) -> TimelineDiff:
    """From ``old`` to ``new``, two timeline documents (schema_version 1)."""
    for document in (old, new):
        if document.get("schema_version") != 1:
            raise ValueError(f"unknown timeline schema_version {document.get('schema_version')!r}")
    titles = {item["ref"]: item["title"] for item in (*new["events"], *new["effects"])}

    def by_ref(item):
        return item["ref"]

    def own_title(item):
        return item["title"]

    return TimelineDiff(
        events=_compare(old["events"], new["events"], by_ref, EVENT_FIELDS, own_title),
        effects=_compare(old["effects"], new["effects"], by_ref, EFFECT_FIELDS, own_title),
        links=_compare(old["links"], new["links"], _link_key, LINK_FIELDS,
                       lambda link: f"{titles.get(link['from'], link['from'])} → {titles.get(link['to'], link['to'])}"),
    )
