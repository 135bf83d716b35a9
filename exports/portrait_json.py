"""The scored portrait as JSON (README.md and docs/portrait-json.md); schema in docs/portrait-json.md. Plain data in, no query."""

from __future__ import annotations

from exports.numbers import one_decimal, share
from partenariat.results import CampaignPortrait
from partenariat.scoring.retreat import retreat_agenda

SCHEMA_VERSION = 1


def _counts(counts):
    return None if counts is None else counts.as_dict()


def as_dict(result: CampaignPortrait) -> dict:
    campaign, portrait, instrument = result.campaign, result.portrait, result.instrument
    items = []
    for item in portrait.items.values():
        n = item.counts.n_valid if item.counts else None
        items.append({
            "code": item.code,
            "dimension": item.dimension,
            "n_valid": n,
            "counts": _counts(item.counts),
            "shares": None if item.counts is None else {
                code: share(getattr(item.counts, code), n) for code in ("A", "B", "C")},
            "score": one_decimal(item.score),
            "gap": one_decimal(item.gap),
            "flags": list(item.flags),
        })
    groups = []
    for group in result.groups:
        shown = group.portrait
        groups.append({
            "sector": group.code,
            # The size of a hidden group is itself withheld.
            "n": None if group.suppressed else group.n,
            "suppressed": group.suppressed is not None,
            "reason": group.suppressed,
            "dimensions": None if shown is None else {c: one_decimal(d.score) for c, d in shown.dimensions.items()},
            "rt": None if shown is None else {c: one_decimal(r.score) for c, r in shown.rts.items()},
            "domains": None if shown is None else {c: one_decimal(d.score) for c, d in shown.domains.items()},
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "partnership": {"id": campaign.partnership.id, "name": campaign.partnership.name,
                        "region": campaign.partnership.region},
        "campaign": {"id": campaign.id, "year": campaign.year, "title": campaign.title,
                     "instrument_version": instrument.version, "k": campaign.k, "status": campaign.status,
                     "focus": campaign.focus},
        "n_invited": result.n_invited,
        "n_submitted": portrait.n_submitted,
        # The release the portrait comes from (null: none yet, nothing is shown).
        "release": None if result.release is None else {
            "number": result.release.number, "made_at": result.release.made_at.isoformat(timespec="seconds"),
            "final": result.release.final},
        "n_link": result.release.n_link if result.release else 0,
        "n_entered": result.release.n_entered if result.release else 0,
        "groups_withheld": result.release is not None and not result.release.groups_shown,
        "suppressed": portrait.suppressed,
        "items": items,
        "dimensions": [
            {"code": d.code, "kind": d.kind, "score": one_decimal(d.score), "gap": one_decimal(d.gap),
             "band": d.band, "counts": _counts(d.counts)}
            for d in portrait.dimensions.values()
        ],
        "rt": [
            {"code": r.code, "domain": r.domain, "score": one_decimal(r.score), "gap": one_decimal(r.gap)}
            for r in portrait.rts.values()
        ],
        "domains": [
            {"code": d.code, "score": one_decimal(d.score), "gap": one_decimal(d.gap), "band": d.band}
            for d in portrait.domains.values()
        ],
        "agenda": list(portrait.agenda),
        "focus": [
            {"dimension": point.dimension, "items": list(point.items), "flags": list(point.flags),
             "rt": list(point.rts), "key": point.key}
            for point in retreat_agenda(instrument, portrait, campaign.focus).focus
        ],
        "controversies": {
            "status_counts": result.controversies.status_counts if not portrait.suppressed else None,
            "entries": result.controversies.entries if not portrait.suppressed else [],
        },
        "groups": groups,
    }
