"""Discussion points for the retreat pack: each weak or divergent item of the agenda with the
RT it feeds and the progression keys that act on those same RT."""

from __future__ import annotations

from dataclasses import dataclass

from partenariat.scoring.portrait import Portrait
from questionnaires.loader import Instrument


@dataclass(frozen=True)
class DiscussionPoint:
    item: str
    flags: tuple[str, ...]
    rts: tuple[str, ...]
    keys: tuple[str, ...]


def discussion_points(instrument: Instrument, portrait: Portrait) -> list[DiscussionPoint]:
    key_rts = {
        code: {rt for item in dimension.items for rt in instrument.items[item].rt}
        for code, dimension in instrument.dimensions.items() if dimension.kind == "key"
    }
    points = []
    for code in portrait.agenda:
        result = portrait.items[code]
        if not {"faible", "divergent"} & set(result.flags):
            continue
        rts = tuple(instrument.items[code].rt)
        keys = tuple(key for key, fed in key_rts.items() if fed & set(rts))
        points.append(DiscussionPoint(code, result.flags, rts, keys))
    return points
