"""export-json against a second, independent reading of SPEC §4–§5, on random imports.

The reference below works from the raw rows, item by item, with no code shared with
partenariat.scoring (only the instrument's data: dimensions, RT weights).
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest

from questionnaires import load_instrument

INSTRUMENT = load_instrument()
CODES = list(INSTRUMENT.items)
SECTORS = list(INSTRUMENT.sectors)
VALUE = {"A": 2, "B": 1, "C": 0}


def reference(rows, k):
    n_sub = len(rows)
    if n_sub < k:
        return {"suppressed": True}
    items = {}
    for code in CODES:
        answers = [r[code] for r in rows]
        valid = [VALUE[a] for a in answers if a in VALUE]
        a, b, c = (answers.count(x) for x in "ABC")
        n = len(valid)
        item = {"counts": {"A": a, "B": b, "C": c, "NSP": n_sub - n}, "n_valid": n, "score": None, "flags": []}
        if n:
            mean = Fraction(sum(valid), n)
            item["score"] = 50 * mean
            item["spread"] = Fraction(sum(v * v for v in valid), n) - mean * mean
            if 3 * c >= n or c == max(a, b, c):
                item["flags"].append("faible")
            if 4 * a >= n and 4 * c >= n:
                item["flags"].append("divergent")
            if 3 * a >= 2 * n and c == 0:
                item["flags"].append("force")
        items[code] = item

    def avg(values):
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    def band(score):
        if score is None:
            return None
        return "force" if score >= 75 else "a_consolider" if score >= 50 else "a_travailler"

    dims = {code: avg([items[i]["score"] for i in d.items]) for code, d in INSTRUMENT.dimensions.items()}
    rts = {}
    for rt in INSTRUMENT.rts:
        pairs = [(Fraction(str(it.rt[rt])), items[c]["score"]) for c, it in INSTRUMENT.items.items()
                 if rt in it.rt and items[c]["score"] is not None]
        rts[rt] = sum(w * s for w, s in pairs) / sum(w for w, _ in pairs) if pairs else None
    domains = {code: avg([rts[r] for r in d.rts]) for code, d in INSTRUMENT.domains.items()}
    weak = sorted((c for c in CODES if "faible" in items[c]["flags"]), key=lambda c: (items[c]["score"], CODES.index(c)))
    divergent = sorted((c for c in CODES if "divergent" in items[c]["flags"] and c not in weak),
                       key=lambda c: (-items[c]["spread"], CODES.index(c)))
    strong = [c for c in CODES if "force" in items[c]["flags"] and c not in weak + divergent]
    return {"suppressed": False, "items": items, "dims": dims, "dim_bands": {c: band(s) for c, s in dims.items()},
            "rts": rts, "domains": domains, "domain_bands": {c: band(s) for c, s in domains.items()},
            "agenda": weak + divergent + strong}


def close(exported, exact):
    if exact is None:
        return exported is None
    return exported is not None and abs(exported - float(exact)) <= 0.05


@pytest.mark.parametrize("seed", range(6))
def test_export_json_matches_the_reference(runner, tmp_path, monkeypatch, seed):
    monkeypatch.setenv("PARTENARIAT_LANG", "en")
    rng = random.Random(seed)
    k = rng.choice([3, 3, 5])
    size = rng.choice([2, 4, 7, 15, 40])
    # Each campaign leans differently, so weak, divergent and strong items all occur.
    lean = {code: rng.choices(["A", "B", "C", "NSP", ""], weights=[rng.random() for _ in range(4)] + [0.1], k=1)[0]
            for code in CODES}
    rows = []
    for _ in range(size):
        rows.append({code: lean[code] if rng.random() < 0.5 else rng.choice(["A", "B", "C", "NSP", ""]) for code in CODES})
    sectors = [rng.choice(SECTORS[:3]) for _ in rows]

    result = runner.invoke(args=["create-campaign", "--partnership", f"Table {seed}", "--year", "2026", "--k", str(k)])
    campaign_id = result.stdout.strip()
    csv_path = tmp_path / "rows.csv"
    lines = [",".join(["respondent", "sector", "lang", *CODES])]
    lines += [",".join([f"P{i}", sectors[i], "fr", *(row[c] for c in CODES)]) for i, row in enumerate(rows)]
    csv_path.write_text("\n".join(lines) + "\n")
    assert runner.invoke(args=["import-responses", campaign_id, str(csv_path)]).exit_code == 0
    released = runner.invoke(args=["release", campaign_id]).exit_code == 0  # refused below k
    assert released == (size >= k)
    out = tmp_path / "p.json"
    assert runner.invoke(args=["export-json", campaign_id, str(out)]).exit_code == 0
    data = json.loads(out.read_text())

    expected = reference(rows, k)
    assert data["n_submitted"] == (size if released else 0) and data["suppressed"] == expected["suppressed"]
    if expected["suppressed"]:
        assert all(i["score"] is None for i in data["items"])
        return
    for item in data["items"]:
        ref = expected["items"][item["code"]]
        assert item["counts"] == ref["counts"] and item["n_valid"] == ref["n_valid"]
        assert close(item["score"], ref["score"]), item["code"]
        assert item["flags"] == ref["flags"], item["code"]
    for dim in data["dimensions"]:
        assert close(dim["score"], expected["dims"][dim["code"]]) and dim["band"] == expected["dim_bands"][dim["code"]]
    for rt in data["rt"]:
        assert close(rt["score"], expected["rts"][rt["code"]]), rt["code"]
    for domain in data["domains"]:
        assert close(domain["score"], expected["domains"][domain["code"]])
        assert domain["band"] == expected["domain_bands"][domain["code"]]
    assert data["agenda"] == expected["agenda"]
