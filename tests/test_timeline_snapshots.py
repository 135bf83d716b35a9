"""The pure comparison of two frozen timelines (partenariat/timeline/snapshots.py), on
documents built by hand and on the JSON export of two hand-made timelines."""

from __future__ import annotations

import pytest

from exports.timeline_json import as_dict
from partenariat.timeline import model
from partenariat.timeline.snapshots import FieldChange, diff
from questionnaires import load_instrument

D = model.PartialDate
E = model.Event

BEFORE = model.Timeline(
    title="Marché",
    events=(E("A", D(2019), "Première rencontre", "RT01"), E("B", D(2019, 5), "Mémoire", "RT04"),
            E("C", D(2020), "Subvention", "RT10"), E("Z", D(2020), "Comité dissous", "RT02")),
    effects=(model.Effect("X", D(2022), "Marché ouvert"),),
    links=(model.Link("A", "B"), model.Link("B", "C", "parce que"), model.Link("C", "X"), model.Link("A", "Z")),
)
# Since then: B re-dated to a day and re-titled; C turned out a setback; Z removed (with its
# link); D added, leading to X; the rationale of B → C changed; X described.
AFTER = model.Timeline(
    title="Marché",
    events=(E("A", D(2019), "Première rencontre", "RT01"), E("B", D(2019, 5, 14), "Mémoire au conseil", "RT04"),
            E("C", D(2020), "Subvention", "RT10", kind="revers"), E("D", D(2021), "Local prêté", "RT10")),
    effects=(model.Effect("X", D(2022), "Marché ouvert", description="Chaque samedi"),),
    links=(model.Link("A", "B"), model.Link("B", "C", "grâce au mémoire"), model.Link("C", "X"),
           model.Link("D", "X")),
)


@pytest.fixture(scope="module")
def documents():
    instrument = load_instrument()
    return as_dict(BEFORE, instrument), as_dict(AFTER, instrument)


def test_added_removed_and_changed_events_effects_and_links(documents):
    result = diff(*documents)
    assert [e["ref"] for e in result.events.added] == ["D"]
    assert [e["ref"] for e in result.events.removed] == ["Z"]
    assert [(c.key, c.title, c.fields) for c in result.events.changed] == [
        ("B", "Mémoire au conseil", (FieldChange("date", "2019-05", "2019-05-14"),
                                     FieldChange("title", "Mémoire", "Mémoire au conseil"))),
        ("C", "Subvention", (FieldChange("kind", "resultat", "revers"),)),
    ]
    assert result.effects.counts == (0, 0, 1)
    assert result.effects.changed[0].fields == (FieldChange("description", "", "Chaque samedi"),)
    assert [link["from"] + link["to"] for link in result.links.added] == ["DX"]
    assert [link["from"] + link["to"] for link in result.links.removed] == ["AZ"]
    assert [(c.key, c.title, c.fields) for c in result.links.changed] == [
        ("B → C", "Mémoire au conseil → Subvention", (FieldChange("rationale", "parce que", "grâce au mémoire"),))]
    assert not result.empty


def test_a_timeline_compared_with_itself_has_no_change_and_the_reverse_swaps_added_and_removed(documents):
    before, after = documents
    assert diff(before, before).empty
    back = diff(after, before)
    assert [e["ref"] for e in back.events.added] == ["Z"] and [e["ref"] for e in back.events.removed] == ["D"]
    assert back.events.changed[0].fields[0] == FieldChange("date", "2019-05-14", "2019-05")


def test_derived_values_are_not_changes(documents):
    before, after = documents
    # A's leads_to and the profile differ between the two documents; neither is a change of A.
    assert "A" not in [c.key for c in diff(before, after).events.changed]


def test_an_unknown_schema_is_refused(documents):
    with pytest.raises(ValueError, match="schema_version"):
        diff({**documents[0], "schema_version": 2}, documents[1])
