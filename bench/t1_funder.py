"""T1 — the funder export at scale, against the floor and the obvious pandas route."""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import data
from bench.timing import best_of
from partenariat import database

K_FUNDER = 5


def ours(app) -> bytes:
    from partenariat.database import db
    from partenariat.services.exports import funder_workbook

    with app.test_request_context():
        return funder_workbook(db(), None, K_FUNDER, "fr")


def floor(url: str, campaigns: int, codes: int) -> None:
    """One query reading every answer, and xlsxwriter (constant memory) writing as many cells."""
    import xlsxwriter
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        count = 0
        for _row in connection.execute(text(
                "SELECT r.campaign_id, a.item_code, a.value FROM answer a JOIN response r ON r.id = a.response_id "
                "JOIN campaign c ON c.id = r.campaign_id WHERE c.shared_with_funders")):
            count += 1
    engine.dispose()
    with tempfile.TemporaryDirectory() as directory:
        book = xlsxwriter.Workbook(os.path.join(directory, "floor.xlsx"), {"constant_memory": True})
        long_sheet, wide_sheet = book.add_worksheet("long"), book.add_worksheet("wide")
        row = 0
        for campaign in range(campaigns):
            for code in range(codes):
                long_sheet.write_row(row, 0, [str(campaign), "Table", "Région", 2024, "dimension", f"D{code}",
                                              "libellé", 50.0, 50.0, "zone", 15, None])
                row += 1
            wide_sheet.write_row(campaign, 0, [str(campaign), "Table", "Région", 2024, 15, *([50.0] * codes), None])
        book.close()


def pandas_route(url: str) -> None:
    """What a data analyst would write: read_sql, group-by, merge, pivot, to_excel (openpyxl),
    producing the same tables as ours: long, wide, summary (median, quartiles), evolution."""
    import numpy as np
    import pandas as pd
    from sqlalchemy import create_engine

    from questionnaires import load_instrument

    instrument = load_instrument()
    engine = create_engine(url)
    answers = pd.read_sql(
        "SELECT r.campaign_id, a.item_code, a.value FROM answer a JOIN response r ON r.id = a.response_id "
        "JOIN campaign c ON c.id = r.campaign_id WHERE c.shared_with_funders", engine)
    meta = pd.read_sql(
        "SELECT c.id AS campaign_id, c.year, p.id AS partnership_id, p.name AS partnership, p.region, "
        "(SELECT COUNT(*) FROM response r WHERE r.campaign_id = c.id) AS n "
        "FROM campaign c JOIN partnership p ON p.id = c.partnership_id WHERE c.shared_with_funders", engine)
    engine.dispose()
    answers["points"] = answers["value"].map({"A": 2, "B": 1, "C": 0})
    items = (answers.dropna(subset=["points"]).groupby(["campaign_id", "item_code"])["points"].mean().mul(50)
             .rename("score").reset_index())
    items["code"] = items["item_code"].map({code: item.dimension for code, item in instrument.items.items()})
    dims = items.groupby(["campaign_id", "code"])["score"].mean().reset_index()
    weights = pd.DataFrame([(code, rt, w) for code, item in instrument.items.items() for rt, w in item.rt.items()],
                           columns=["item_code", "rt", "weight"])
    rts = items.merge(weights, on="item_code")
    rts["weighted"] = rts["score"] * rts["weight"]
    rts = rts.groupby(["campaign_id", "rt"])[["weighted", "weight"]].sum().reset_index()
    rts["score"] = rts["weighted"] / rts["weight"]
    rts["code"] = rts["rt"].map({rt: r.domain for rt, r in instrument.rts.items()})
    domains = rts.groupby(["campaign_id", "code"])["score"].mean().reset_index()
    long = pd.concat([dims, domains]).merge(meta, on="campaign_id")
    hidden = long["n"] < K_FUNDER
    long.loc[hidden, "score"] = np.nan
    long["note"] = np.where(hidden, "moins de 5 réponses : scores non transmis", None)
    labels = {**{c: d.name.fr for c, d in instrument.dimensions.items()}, **{c: d.name.fr for c, d in instrument.domains.items()}}
    long["label"] = long["code"].map(labels)
    long["score"] = long["score"].round(1)
    long["gap"] = 100 - long["score"]
    long["band"] = np.select([long["score"] >= 75, long["score"] >= 50, long["score"].notna()],
                             ["Force", "À consolider", "À travailler"], default=None)
    long["partnership_id"] = long["partnership_id"].astype(str)
    long = long[["partnership_id", "partnership", "region", "year", "code", "label", "score", "gap", "band", "n", "note"]]
    wide = long.pivot(index=["partnership_id", "partnership", "region", "year", "n"], columns="code",
                      values="score").reset_index()
    summary = long.groupby(["year", "code"])["score"].agg(
        count="count", median="median", q1=lambda s: s.quantile(0.25), q3=lambda s: s.quantile(0.75)).reset_index()
    evolution = long.pivot_table(index=["partnership_id", "partnership", "code"], columns="year", values="score").reset_index()
    with tempfile.TemporaryDirectory() as directory, pd.ExcelWriter(os.path.join(directory, "pandas.xlsx"),
                                                                    engine="openpyxl") as writer:
        summary.to_excel(writer, sheet_name="summary", index=False)
        long.to_excel(writer, sheet_name="long", index=False)
        wide.to_excel(writer, sheet_name="wide", index=False)
        evolution.to_excel(writer, sheet_name="evolution", index=False)


def build(directory: Path, partnerships: int, respondents: int = 15) -> str:
    url = f"sqlite:///{directory / f'funder-{partnerships}.sqlite'}"
    app = data.migrated_app(url)
    data.shared_campaigns(app, partnerships, respondents)
    database.dispose(app)
    data.checkpoint(url)
    return url


def child(url: str) -> None:
    """Run our export once in this (fresh) process and report time and peak memory."""
    from app import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    start = time.perf_counter()
    size = len(ours(app))
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "bytes": size, "peak_rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec, whereas ru_maxrss
    would carry over the memory of the (large) benchmark process that forked us."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(url: str) -> dict:
    output = subprocess.run([sys.executable, "-m", "bench.t1_funder", url], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).resolve().parent.parent)
    return json.loads(output.stdout.strip().splitlines()[-1])


def run(quick: bool, directory: Path) -> dict:
    from app import create_app
    from questionnaires import load_instrument

    instrument = load_instrument()
    codes = len(instrument.dimensions) + len(instrument.domains)
    # Quick mode keeps enough campaigns for fixed costs not to hide the per-campaign work.
    size = 800 if quick else 1500
    small, large = (150, 600) if quick else (500, 2000)
    url = build(directory, size)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    repeat = 2 if quick else 3
    t_ours = best_of(lambda: ours(app), repeat=repeat)
    t_floor = best_of(lambda: floor(url, size, codes), repeat=repeat)
    t_pandas = best_of(lambda: pandas_route(url), repeat=repeat)
    database.dispose(app)
    memory = run_child(url)["peak_rss_mb"]
    timings = {}
    for scale in (small, large):
        scale_url = build(directory, scale)
        timings[scale] = min(run_child(scale_url)["seconds"] for _ in range(2))
    exponent = math.log(timings[large] / timings[small]) / math.log(large / small)
    return {
        "ratio_vs_floor": t_ours / t_floor,
        "speedup_vs_pandas": t_pandas / t_ours,
        "peak_rss_mb": memory,
        "scaling_exponent": exponent,
        "_detail": {"campaigns": size, "ours_s": t_ours, "floor_s": t_floor, "pandas_s": t_pandas,
                    "scale_seconds": timings},
    }


if __name__ == "__main__":
    child(sys.argv[1])
