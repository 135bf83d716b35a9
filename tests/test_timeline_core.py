"""The pure core of the timeline (SPEC §8): partial dates, the chain rules, the RT profile."""

from __future__ import annotations

import datetime

import pytest

from partenariat.timeline import graph
from partenariat.timeline.model import Effect, Event, EventStatus, Kind, Link, PartialDate, Precision
from partenariat.timeline.problems import TimelineError
from partenariat.timeline.profile import Counts, profile, read
from questionnaires import load_instrument

D = PartialDate.parse


def event(ref, date, rt, kind=Kind.RESULT, status=EventStatus.DONE):
    return Event(ref=ref, date=D(date), title=f"Event {ref}", rt=rt, kind=kind, status=status)


# --- partial dates -----------------------------------------------------------------------

def test_partial_dates_parse_sort_and_print_in_both_languages():
    year, month, day = D("2015"), D("2015-03"), D("2015-03-04")
    assert (year.precision, month.precision, day.precision) == (Precision.YEAR, Precision.MONTH, Precision.DAY)
    assert sorted([D("2016"), day, month, year, D("2014-12-31")]) == [D("2014-12-31"), year, month, day, D("2016")]
    assert [d.iso() for d in (year, month, day)] == ["2015", "2015-03", "2015-03-04"]
    assert (day.label("fr"), day.label("en")) == ("4 mars 2015", "March 4, 2015")
    assert (month.label("fr"), month.label("en")) == ("mars 2015", "March 2015")
    assert year.label("fr") == "2015"
    assert (D("2016-02").last_day, year.last_day) == (datetime.date(2016, 2, 29), datetime.date(2015, 12, 31))
    assert PartialDate.from_parts(datetime.date(2015, 3, 1), "month") == month


@pytest.mark.parametrize("text", ["2015-02-30", "2015-13", "15-03", "2015/03/04", "March 2015", "2015-3", ""])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValueError):
        D(text)


def test_a_setback_is_only_possible_on_rt09_to_rt12():
    assert event("a", "2015", "RT09", Kind.SETBACK).kind is Kind.SETBACK
    with pytest.raises(ValueError, match="RT02"):
        event("a", "2015", "RT02", Kind.SETBACK)


# --- the chain as a DAG ------------------------------------------------------------------

def chain_of_four():
    events = [event(ref, f"201{i}", "RT01") for i, ref in enumerate("ABCD")]
    return graph.build("P", events, [Effect("E", D("2016"), "Effect E")],
                       [Link("A", "B"), Link("B", "C"), Link("C", "D"), Link("D", "E")])


def test_a_direct_cycle_is_refused_naming_both_ends():
    timeline = graph.build("P", [event("A", "2014", "RT01"), event("B", "2015", "RT02")], [], [Link("A", "B")])
    with pytest.raises(TimelineError) as caught:
        graph.add_link(timeline, Link("B", "A"))
    message = str(caught.value)
    assert "from B to A" in message and "A already leads to B" in message and "(A → B)" in message


def test_a_long_cycle_is_refused_with_the_way_back():
    with pytest.raises(TimelineError) as caught:
        graph.add_link(chain_of_four(), Link("D", "A"))
    assert "from D to A" in str(caught.value)
    assert "(A → B → C → D)" in str(caught.value)
    # The same links given at once are refused too, and nothing is built.
    with pytest.raises(TimelineError, match="would close a cycle"):
        graph.build("P", [event(r, "2014", "RT01") for r in "XYZ"], [], [Link("X", "Y"), Link("Y", "Z"), Link("Z", "X")])


def test_a_self_link_is_a_cycle_and_an_effect_leads_nowhere():
    timeline = chain_of_four()
    with pytest.raises(TimelineError, match="from A to A would close a cycle"):
        graph.add_link(timeline, Link("A", "A"))
    with pytest.raises(TimelineError, match="E is an effect"):
        graph.add_link(timeline, Link("E", "A"))
    with pytest.raises(TimelineError, match="Z is no event or effect"):
        graph.add_link(timeline, Link("A", "Z"))
    # A link that closes no cycle is accepted, even a long shortcut.
    assert len(graph.add_link(timeline, Link("A", "D")).links) == 5


def test_refs_are_unique_across_events_and_effects_and_rt_are_the_framework_s():
    with pytest.raises(TimelineError, match="ref A is used twice"):
        graph.build("P", [event("A", "2014", "RT01")], [Effect("A", D("2015"), "Effect")])
    with pytest.raises(TimelineError, match="event B: RT13 is not an RT of the framework"):
        graph.build("P", [event("A", "2014", "RT01"), event("B", "2014", "RT13")], rt_codes=load_instrument().rts)


def test_the_chain_of_an_effect_is_everything_upstream():
    events = [event("A", "2014", "RT01"), event("B", "2014-05", "RT04"), event("C", "2015", "RT10"),
              event("X", "2015", "RT11"), event("Lonely", "2015", "RT02")]
    effects = [Effect("E1", D("2016"), "Greenhouse"), Effect("E2", D("2016"), "Market")]
    timeline = graph.build("P", events, effects,
                           [Link("A", "B"), Link("B", "C"), Link("C", "E1"), Link("X", "E2"), Link("B", "E2")])
    chain = graph.chain_of(timeline, "E1")
    assert [e.ref for e in chain.events] == ["A", "B", "C"]
    assert [e.ref for e in chain.effects] == ["E1"]
    assert {(link.source, link.target) for link in chain.links} == {("A", "B"), ("B", "C"), ("C", "E1")}
    assert {e.ref for e in graph.chain_of(timeline, "E2").events} == {"A", "B", "X"}


def test_topological_order_puts_every_event_after_what_led_to_it():
    events = [event("late", "2013", "RT01"), event("A", "2014", "RT01"), event("B", "2012", "RT02")]
    timeline = graph.build("P", events, [Effect("E", D("2015"), "E")], [Link("late", "B"), Link("A", "E")])
    # B is dated 2012 but must follow "late" (2013); once free, it goes before A (2014), being earlier.
    assert graph.topological_order(timeline) == ["late", "B", "A", "E"]


# --- the RT profile ------------------------------------------------------------------------

def history():
    """Two projects of one partnership, counted by hand in the tests below."""
    first = graph.build("Market", [
        event("e1", "2014", "RT01"), event("e2", "2014-05", "RT04"), event("e3", "2014-09", "RT05"),
        event("e4", "2015-02", "RT07"), event("e5", "2015-03", "RT10", Kind.SETBACK),
        event("e6", "2015-06-01", "RT12"), event("e7", "2015-09", "RT10"),
        event("e8", "2016", "RT11", status=EventStatus.PLANNED),
    ])
    second = graph.build("Greenhouse", [
        event("f1", "2016-01", "RT10"), event("f2", "2016-04", "RT11"),
        event("f3", "2016-05", "RT11", Kind.SETBACK), event("f4", "2016-10", "RT09", Kind.SETBACK),
    ])
    return first, second


def test_profile_of_a_partnership_counts_realised_events_per_rt_domain_and_year():
    instrument = load_instrument()
    result = profile(instrument, history())
    expected = {"RT01": (1, 0), "RT04": (1, 0), "RT05": (1, 0), "RT07": (1, 0), "RT09": (0, 1),
                "RT10": (2, 1), "RT11": (1, 1), "RT12": (1, 0)}
    assert {code: (c.results, c.setbacks) for code, c in result.total.rts.items()} == {
        code: expected.get(code, (0, 0)) for code in instrument.rts}
    assert result.total.domains == {"D1": Counts(1, 0), "D2": Counts(3, 0), "D3": Counts(4, 3)}
    assert result.total.total == Counts(8, 3)
    assert result.n_planned == 1 and result.n_projects == 2
    assert result.years == (2014, 2015, 2016)
    assert result.by_year[2014].domains == {"D1": Counts(1, 0), "D2": Counts(2, 0), "D3": Counts(0, 0)}
    assert result.by_year[2015].domains == {"D1": Counts(0, 0), "D2": Counts(1, 0), "D3": Counts(2, 1)}
    assert result.by_year[2016].rts["RT11"] == Counts(1, 1)
    assert result.by_year[2016].domains["D3"] == Counts(2, 2)
    # RT10+RT11 results 3, RT04–RT08 results 3: neither leads.
    assert (result.reading.key, result.reading.do_it, result.reading.make_it_happen, result.reading.hinge) == ("mixed", 3, 3, 1)
    assert result.reading.proposal is True


def test_reading_is_a_labelled_proposal_with_its_counts():
    instrument = load_instrument()
    first, second = history()
    # The market alone: RT04, RT05, RT07 against RT10 once (the planned RT11 is not counted).
    reading = profile(instrument, [first]).reading
    assert (reading.key, reading.do_it, reading.make_it_happen, reading.hinge) == ("make_it_happen", 1, 3, 1)
    without_rt12 = graph.build("M", [e for e in first.events if e.rt != "RT12"])
    assert profile(instrument, [without_rt12]).reading.key == "make_it_happen_no_hinge"
    assert profile(instrument, [second]).reading.key == "too_few"  # 2 results in the two groups
    doing = graph.build("D", [event(f"r{i}", "2016", "RT10") for i in range(3)] + [event("n", "2016", "RT11"),
                                                                                  event("b", "2016", "RT04")])
    result = profile(instrument, [doing])
    assert (result.reading.key, result.reading.do_it, result.reading.make_it_happen) == ("do_it", 4, 1)
    assert read(result.total).as_dict()["proposal"] is True
    assert read(result.total).as_dict()["counts"] == {"do_it": 4, "make_it_happen": 1, "hinge": 0}


def test_an_event_without_links_still_counts():
    instrument = load_instrument()
    result = profile(instrument, [graph.build("P", [event("alone", "2020", "RT03")])])
    assert result.total.rts["RT03"] == Counts(1, 0)
    assert result.total.domains["D1"] == Counts(1, 0)
