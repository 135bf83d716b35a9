"""Exports of a timeline (SPEC §8): SVG, PNG, PDF, JSON and a re-importable workbook."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest

from bench.t8_timeline import sample_timeline
from exports import timeline_images, timeline_json, timeline_svg, timeline_workbook
from partenariat.timeline import graph, importing, layout
from partenariat.timeline.model import Effect, Event, EventStatus, Kind, Link, PartialDate
from partenariat.timeline.questions import load_questions
from questionnaires import load_instrument

SVG = "{http://www.w3.org/2000/svg}"
D = PartialDate.parse


def project():
    events = [
        Event("A", D("2014"), "Comité « Quartier vert » & sécurité alimentaire", "RT01", actors="CLSC; école"),
        Event("B", D("2014-05"), "Mémoire sur l'alimentation", "RT04", evidence="https://example.org/memoire"),
        Event("C", D("2015-03-02"), "=HYPERLINK(\"http://x\") subvention refusée", "RT10", Kind.SETBACK),
        Event("D", D("2015-06"), "Engagement de l'arrondissement <serre>", "RT12"),
        Event("P", D("2017"), "Entente avec la Ville", "RT12", status=EventStatus.PLANNED),
        Event("L", D("2016-01-10"), "Événement sans lien", "RT02"),
    ]
    effects = [Effect("E1", D("2016-05"), "Serre communautaire ouverte", "Production de semis", "Photos"),
               Effect("E2", D("2016"), "Marché solidaire agrandi")]
    links = [Link("A", "B", "le comité rédige"), Link("B", "C"), Link("B", "D"), Link("C", "D"), Link("D", "E1"),
             Link("B", "E2")]
    return graph.build("Quartier nourricier", events, effects, links, description="Serre et marché",
                       start=D("2014"), end=D("2017"))


def parse_svg(data: bytes):
    return ET.fromstring(data)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_svg_has_every_title_one_arrow_per_link_named_lanes_and_a_legend(app, lang):
    instrument, timeline = load_instrument(), project()
    with app.app_context():
        root = parse_svg(timeline_svg.render(timeline, instrument, lang))
    nodes = root.findall(f".//{SVG}g[@data-ref]")
    assert sorted(g.get("data-ref") for g in nodes) == sorted(n.ref for n in (*timeline.events, *timeline.effects))
    for g in nodes:
        node = timeline.node(g.get("data-ref"))
        assert g.find(f"{SVG}title").text.startswith(node.title)  # the full title, for screen readers
    links = root.findall(f".//{SVG}path[@class='link']")
    assert len(links) == len(timeline.links) == 6
    assert all(path.get("marker-end", "").startswith("url(#") for path in links)
    text = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))  # a wrapped lane name is in tspans
    for domain in instrument.domains.values():
        assert domain.name.get(lang) in text.replace("\n", " ")
    expected = {"fr": ("Effets dans les milieux de vie", "✕ Revers", "✓ Résultat", "a mené à"),
                "en": ("Effects in living environments", "✕ Setback", "✓ Result", "led to")}[lang]
    for words in expected:
        assert words in text


def test_results_setbacks_planned_and_effects_differ_by_more_than_colour(app):
    instrument, timeline = load_instrument(), project()
    with app.app_context():
        root = parse_svg(timeline_svg.render(timeline, instrument, "en"))
    by_ref = {g.get("data-ref"): g for g in root.findall(f".//{SVG}g[@data-ref]")}
    assert by_ref["C"].get("class") == "node setback"
    assert by_ref["A"].get("class") == "node result"
    assert by_ref["P"].get("class") == "node result planned"
    assert by_ref["E1"].get("class") == "node effect"
    heads = {ref: "".join(g.find(f"{SVG}text").itertext()) for ref, g in by_ref.items()}
    assert heads["C"].startswith("RT10 ✕ Setback") and heads["A"].startswith("RT01 ✓")
    assert "(planned)" in heads["P"] and heads["E1"].startswith("◆ Effect")
    style = root.find(f"{SVG}style").text
    assert ".setback rect{" in style and "stroke-dasharray:6 3" in style  # a dashed border, not only a colour
    # Long or markup-like titles are escaped (the file parses) and cut visibly, in full in <title>.
    visible = "".join(by_ref["A"].findall(f"{SVG}text")[1].itertext())
    assert visible.endswith("…") and len(visible) < len(timeline.node("A").title)


def test_the_chain_of_one_effect_draws_only_what_led_to_it(app):
    instrument, timeline = load_instrument(), project()
    with app.app_context():
        root = parse_svg(timeline_svg.render(timeline, instrument, "fr", effect_ref="E1"))
    assert sorted(g.get("data-ref") for g in root.findall(f".//{SVG}g[@data-ref]")) == ["A", "B", "C", "D", "E1"]
    assert len(root.findall(f".//{SVG}path[@class='link']")) == 5  # A→B, B→C, B→D, C→D, D→E1


def test_layout_of_300_events_never_overlaps_and_keeps_time_order():
    instrument, timeline = load_instrument(), sample_timeline()
    shape = layout.layout(timeline, instrument)
    boxes = list(shape.boxes.values())
    assert len(boxes) == 340 and len(shape.arrows) == len(timeline.links)
    for lane in shape.lanes:
        inside = sorted((b for b in boxes if b.lane == lane.code), key=lambda b: (b.y, b.x))
        assert all(lane.y <= b.y and b.bottom <= lane.y + lane.height for b in inside)
        for first, second in zip(inside, inside[1:], strict=False):
            if first.y == second.y:
                assert first.right <= second.x, (first.ref, second.ref)
    # Within a lane, an earlier date is never drawn to the right of a later one.
    for lane in shape.lanes:
        ordered = sorted((b for b in boxes if b.lane == lane.code), key=lambda b: b.node.date.middle)
        assert [b.date_x for b in ordered] == sorted(b.date_x for b in ordered)
    # Boxes stay clear of the lane names and inside the picture.
    assert all(b.x >= layout.LANE_LABEL_WIDTH for b in boxes) and all(b.right <= shape.width for b in boxes)
    # A year-only date falls at the middle of its year and keeps the whole year as its span.
    year_box = next(b for b in boxes if b.node.date.month is None)
    assert year_box.span[0] < year_box.date_x < year_box.span[1]
    # A box with a day is centred on it; a month or a year may slide right, within its period.
    for b in boxes:
        centre = b.x + b.w / 2
        if b.node.date.day is not None:
            assert abs(centre - b.date_x) <= 1, b.ref
        else:
            assert b.date_x - 1 <= centre <= b.span[1] + 1, b.ref
    assert any(b.x + b.w / 2 > b.date_x + 1 for b in boxes if b.node.date.month is None)


def test_vague_dates_slide_within_their_period_instead_of_stacking():
    instrument = load_instrument()
    # Three events of "2017" in one lane fit side by side within the year; with day precision
    # on the same day they have to stack.
    vague = graph.build("P", [Event(f"Y{i}", D("2017"), f"Année {i}", "RT01") for i in range(3)])
    exact = graph.build("P", [Event(f"J{i}", D("2017-07-02"), f"Jour {i}", "RT01") for i in range(3)])
    assert layout.layout(vague, instrument).lanes[0].rows == 1
    assert layout.layout(exact, instrument).lanes[0].rows == 3


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")])
def test_png_and_pdf_are_produced(app, fmt, magic):
    instrument, timeline = load_instrument(), project()
    with app.app_context():
        data = timeline_images.render(timeline, instrument, "fr", fmt)
        chain = timeline_images.render(timeline, instrument, "en", fmt, effect_ref="E1")
    assert data.startswith(magic) and len(data) > 5_000
    assert chain.startswith(magic) and len(chain) > 5_000
    if fmt == "png":
        from PIL import Image

        width, height = Image.open(io.BytesIO(data)).size
        shape = layout.layout(timeline, instrument)
        assert width == round(shape.width) and height > shape.height


def test_a_dollar_sign_in_a_title_is_not_math(app):
    instrument = load_instrument()
    timeline = graph.build("Budget $ et $x$", [Event("A", D("2020"), "Subvention de 5 000 $ puis 3 000 $", "RT10")])
    with app.app_context():
        assert timeline_images.render(timeline, instrument, "fr", "png").startswith(b"\x89PNG")


def test_json_has_events_links_effects_and_the_hand_counted_profile():
    instrument, timeline = load_instrument(), project()
    data = json.loads(json.dumps(timeline_json.as_dict(timeline, instrument)))
    assert data["project"] == {"title": "Quartier nourricier", "description": "Serre et marché", "start": "2014", "end": "2017"}
    assert [e["ref"] for e in data["events"]] == ["A", "B", "C", "D", "P", "L"]
    b = data["events"][1]
    assert (b["date"], b["precision"], b["domain"], b["leads_to"]) == ("2014-05", "month", "D2", ["C", "D", "E2"])
    assert data["effects"][0] == {"ref": "E1", "date": "2016-05", "precision": "month", "title": "Serre communautaire ouverte",
                                  "description": "Production de semis", "evidence": "Photos"}
    assert data["links"][0] == {"from": "A", "to": "B", "rationale": "le comité rédige"}
    profile = data["profile"]
    # Realised: RT01, RT04, RT10 setback, RT12, RT02; the planned RT12 is left out.
    assert profile["rt"]["RT12"] == {"results": 1, "setbacks": 0}
    assert profile["rt"]["RT10"] == {"results": 0, "setbacks": 1}
    assert profile["domains"] == {"D1": {"results": 2, "setbacks": 0}, "D2": {"results": 1, "setbacks": 0},
                                  "D3": {"results": 1, "setbacks": 1}}
    assert profile["total"] == {"results": 4, "setbacks": 1} and profile["n_planned_not_counted"] == 1
    assert profile["by_year"]["2015"]["domains"]["D3"] == {"results": 1, "setbacks": 1}
    assert profile["reading"]["proposal"] is True and profile["reading"]["key"] == "too_few"


def test_workbook_round_trip_gives_the_same_timeline_and_text_stays_text(app):
    from openpyxl import load_workbook

    instrument, original = load_instrument(), project()
    with app.app_context():
        data = timeline_workbook.build(original, instrument, "fr", load_questions())
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["events", "Liens", "Effets", "Profil des RT"]
    cell = workbook["events"]["C4"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    back = importing.parse(data, "timeline.xlsx", instrument, title=original.title)
    # The import format carries no rationale, controversy or project dates: all else comes back.
    assert back.events == original.events
    assert back.effects == original.effects
    assert {(link.source, link.target) for link in back.links} == {(link.source, link.target) for link in original.links}
    profile = workbook["Profil des RT"]
    rows = {row[0]: row for row in profile.iter_rows(min_row=2, max_row=13, values_only=True)}
    assert rows["RT10"][3:] == (0, 1) and rows["RT12"][3:] == (1, 0)
    texts = [c for row in profile.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("pas un score" in t for t in texts)


def test_workbook_of_300_events_reimports(app):
    instrument, original = load_instrument(), sample_timeline()
    with app.app_context():
        data = timeline_workbook.build(original, instrument, "en")
    back = importing.parse(data, "timeline.xlsx", instrument, title=original.title)
    assert back.events == original.events and back.effects == original.effects
    assert len(back.links) == len(original.links)


def test_an_empty_timeline_and_a_lone_effect_still_draw(app):
    instrument = load_instrument()
    empty = graph.build("Vide")
    lone = graph.build("Seul", effects=[Effect("E", D("2020"), "Effet seul")])
    with app.app_context():
        root = parse_svg(timeline_svg.render(empty, instrument, "fr"))
        assert len(root.findall(f".//{SVG}g[@data-ref]")) == 0 and len(root.findall(f".//{SVG}path[@class='link']")) == 0
        chain = parse_svg(timeline_svg.render(lone, instrument, "fr", effect_ref="E"))
        assert [g.get("data-ref") for g in chain.findall(f".//{SVG}g[@data-ref]")] == ["E"]
        assert timeline_images.render(empty, instrument, "fr", "pdf").startswith(b"%PDF-")


def test_two_drawings_on_one_page_keep_their_own_ids_and_styles(app):
    instrument, timeline = load_instrument(), project()
    with app.app_context():
        first = parse_svg(timeline_svg.render(timeline, instrument, "fr", id_prefix="tl-a"))
        second = parse_svg(timeline_svg.render(timeline, instrument, "fr", effect_ref="E1", id_prefix="tl-b"))
    assert (first.get("id"), second.get("id")) == ("tl-a", "tl-b")
    assert first.find(f".//{SVG}marker").get("id") == "tl-a-arrow"
    assert all(p.get("marker-end") == "url(#tl-b-arrow)" for p in second.findall(f".//{SVG}path[@class='link']"))
    style = second.find(f"{SVG}style").text
    assert all(rule.startswith("#tl-b ") for rule in style.split("}") if rule)
