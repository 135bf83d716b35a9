"""The 300-event diagram of the T8 benchmark keeps every element a reader needs, however its
writing is sped up: counted here from the timeline itself, not from an earlier output."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from bench.t8_timeline import sample_timeline
from exports import timeline_svg
from partenariat.timeline.model import Effect, EventStatus, Kind
from questionnaires import load_instrument

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("lang", "led_to"), [("fr", "a mené à"), ("en", "led to")])
def test_the_300_event_diagram_has_one_box_per_node_one_arrow_per_link_and_every_title(app, lang, led_to):
    instrument, timeline = load_instrument(), sample_timeline()
    nodes = (*timeline.events, *timeline.effects)
    with app.app_context():
        root = ET.fromstring(timeline_svg.render(timeline, instrument, lang))
    elements = Counter((element.tag.removeprefix(SVG), element.get("class")) for element in root.iter())

    def looks(node):
        if isinstance(node, Effect):
            return "node effect"
        classes = "node setback" if node.kind is Kind.SETBACK else "node result"
        return classes + " planned" if node.status is EventStatus.PLANNED else classes

    expected_groups = Counter(looks(node) for node in nodes)
    assert sum(expected_groups.values()) == 340 and expected_groups["node effect"] == 40
    assert {key: elements["g", key] for key in expected_groups} == dict(expected_groups)
    assert elements["path", "link"] == len(timeline.links) == 405
    assert elements["text", "box-head"] == elements["text", "box-title"] == 340
    # The drawing's own title, one per box and one per link.
    assert elements["title", None] == 1 + 340 + 405
    # The background, four lanes, a rect per box and four legend samples.
    assert elements["rect", None] == 1 + 4 + 340 + 4
    # A line under every box whose date is a month or a year, and one in the legend.
    assert elements["line", "span"] == sum(node.date.day is None for node in nodes) + 1

    by_ref = {g.get("data-ref"): g for g in root.iter(f"{SVG}g") if g.get("data-ref")}
    assert sorted(by_ref) == sorted(node.ref for node in nodes)
    for node in nodes:
        tooltip = by_ref[node.ref].find(f"{SVG}title").text
        assert tooltip.startswith(f"{node.title} — ") and tooltip.endswith(node.date.label(lang)), node.ref
    links = root.findall(f".//{SVG}path[@class='link']")
    assert all(path.get("marker-end") == "url(#tl-arrow)" for path in links)
    titles = [path.find(f"{SVG}title").text for path in links]
    assert titles == [f"{led_to}: {timeline.node(link.source).title} → {timeline.node(link.target).title}"
                      for link in timeline.links]
