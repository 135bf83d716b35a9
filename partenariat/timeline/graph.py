"""The chain of events as a directed acyclic graph (docs/timeline.md).

Rules: a link goes from an event to an event or an effect; an effect ends a chain, so it has
no outgoing link; a link that would close a cycle is refused, naming both of its ends and the
way back; an event without links is allowed. The chain of an effect is the effect with
everything upstream of it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace

from partenariat.timeline.model import Effect, Event, Link, PartialDate, Timeline
from partenariat.timeline.problems import Problem, TimelineError, _l


class Chain:
    """The links of one timeline, checked one at a time as they are added."""

    def __init__(self, events: Iterable[str], effects: Iterable[str]):
        self.events = set(events)
        self.effects = set(effects)
        self.successors: dict[str, list[str]] = {ref: [] for ref in (*self.events, *self.effects)}
        self.predecessors: dict[str, list[str]] = {ref: [] for ref in self.successors}

    def check(self, link: Link) -> Problem | None:
        """Why ``link`` cannot be added, or None."""
        source, target = link.source, link.target
        if source in self.effects:
            return Problem(_l("%(source)s is an effect: an effect ends a chain and leads to nothing (here to %(target)s)."),
                           {"source": source, "target": target})
        if source not in self.events:
            return Problem(_l("the link starts from %(source)s, which is no event of this timeline."), {"source": source})
        if target not in self.successors:
            return Problem(_l("%(target)s is no event or effect of this timeline."), {"target": target})
        if target in self.successors[source]:
            return Problem(_l("the link from %(source)s to %(target)s is given twice."), {"source": source, "target": target})
        path = self.path(target, source)
        if path is not None:
            return Problem(
                _l("the link from %(source)s to %(target)s would close a cycle, since %(target)s already leads to %(source)s (%(path)s)."),
                {"source": source, "target": target, "path": " → ".join(path)})
        return None

    def add(self, link: Link) -> None:
        problem = self.check(link)
        if problem is not None:
            raise TimelineError([problem])
        self.successors[link.source].append(link.target)
        self.predecessors[link.target].append(link.source)

    def path(self, start: str, goal: str) -> list[str] | None:
        """A path start → … → goal along existing links (start itself when start == goal)."""
        parent: dict[str, str | None] = {start: None}
        stack = [start]
        while stack:
            ref = stack.pop()
            if ref == goal:
                path = [ref]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return path[::-1]
            for following in self.successors[ref]:
                if following not in parent:
                    parent[following] = ref
                    stack.append(following)
        return None

    def upstream(self, ref: str) -> set[str]:
        """``ref`` and every node from which it can be reached."""
        seen, stack = {ref}, [ref]
        while stack:
            for previous in self.predecessors[stack.pop()]:
                if previous not in seen:
                    seen.add(previous)
                    stack.append(previous)
        return seen


def duplicate_refs(events: Iterable[Event], effects: Iterable[Effect]) -> list[str]:
    seen, twice = set(), []
    for node in (*events, *effects):
        if node.ref in seen and node.ref not in twice:
            twice.append(node.ref)
        seen.add(node.ref)
    return twice


def build(title: str, events: Iterable[Event] = (), effects: Iterable[Effect] = (), links: Iterable[Link] = (),
          description: str = "", start: PartialDate | None = None, end: PartialDate | None = None,
          rt_codes: Collection[str] | None = None) -> Timeline:
    """A checked Timeline; TimelineError lists every problem (refs used twice, RT unknown to
    ``rt_codes`` when given, bad links, cycles)."""
    events, effects, links = tuple(events), tuple(effects), tuple(links)
    problems = [Problem(_l("the ref %(ref)s is used twice."), {"ref": ref}) for ref in duplicate_refs(events, effects)]
    if rt_codes is not None:
        problems += [Problem(_l("event %(ref)s: %(rt)s is not an RT of the framework."), {"ref": e.ref, "rt": e.rt})
                     for e in events if e.rt not in rt_codes]
    if start is not None and end is not None and end < start:
        problems.append(Problem(_l("the project ends (%(end)s) before it starts (%(start)s)."),
                                {"start": start.iso(), "end": end.iso()}))
    if problems:
        raise TimelineError(problems)
    chain = Chain((e.ref for e in events), (e.ref for e in effects))
    for link in links:
        problem = chain.check(link)
        if problem is None:
            chain.add(link)
        else:
            problems.append(problem)
    if problems:
        raise TimelineError(problems)
    return Timeline(title=title, events=events, effects=effects, links=links, description=description,
                    start=start, end=end)


def chain(timeline: Timeline) -> Chain:
    """The graph of an already checked timeline."""
    graph = Chain((e.ref for e in timeline.events), (e.ref for e in timeline.effects))
    for link in timeline.links:
        graph.add(link)
    return graph


def add_link(timeline: Timeline, link: Link) -> Timeline:
    """The timeline with one more link, or TimelineError naming both ends of a refused one."""
    graph = chain(timeline)
    graph.add(link)
    return replace(timeline, links=(*timeline.links, link))


def chain_of(timeline: Timeline, effect_ref: str) -> Timeline:
    """The chain of one effect: the effect, every event upstream of it, and their links."""
    if effect_ref not in {effect.ref for effect in timeline.effects}:
        raise KeyError(effect_ref)
    kept = chain(timeline).upstream(effect_ref)
    return replace(
        timeline,
        events=tuple(e for e in timeline.events if e.ref in kept),
        effects=tuple(e for e in timeline.effects if e.ref == effect_ref),
        links=tuple(link for link in timeline.links if link.source in kept and link.target in kept),
    )


def topological_order(timeline: Timeline) -> list[str]:
    """Every ref, each after all that lead to it; ties go to the earlier date, then the ref."""
    import heapq

    graph = chain(timeline)
    waiting = {ref: len(previous) for ref, previous in graph.predecessors.items()}

    def key(ref: str):
        node = timeline.node(ref)
        return (node.date.sort_key(), isinstance(node, Effect), ref)

    ready = [key(ref) for ref, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        ref = heapq.heappop(ready)[2]
        order.append(ref)
        for following in graph.successors[ref]:
            waiting[following] -= 1
            if waiting[following] == 0:
                heapq.heappush(ready, key(following))
    return order
