"""`python -m bench [--quick]`: every measure with its baseline in the same run; prints a table
and writes bench/results.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from bench import (
    databases,
    t1_funder,
    t2_load,
    t3_radar,
    t4_startup,
    t5_portrait,
    t6_answers,
    t7_lighthouse,
    t8_timeline,
    t9_release,
)

TARGETS = {
    ("T1", "ratio_vs_floor"): ("<=", 3), ("T1", "speedup_vs_pandas"): (">=", 2), ("T1", "peak_rss_mb"): ("<=", 400),
    ("T1", "scaling_exponent"): ("<=", 1.1), ("T2", "throughput_ratio"): (">=", 0.3), ("T2", "p95_ratio"): ("<=", 4),
    ("T2", "errors"): ("<=", 0), ("T3", "first_render_ratio"): ("<=", 1.5), ("T3", "cached_ratio"): ("<=", 0.05),
    ("T4", "startup_ratio"): ("<=", 2), ("T5", "page_ratio"): ("<=", 3),
    ("T6", "p95_ratio"): ("<=", 2), ("T6", "throughput_ratio"): (">=", 0.5), ("T6", "errors"): ("<=", 0),
    ("T6", "lost"): ("<=", 0), ("T7", "performance"): (">=", 95), ("T7", "transferred_kb"): ("<=", 60),
    ("T8", "svg_ms"): ("<=", 200), ("T8", "ratio_vs_minimal"): ("<=", 3),
    ("T9", "ratio_vs_select"): ("<=", 3),
}
SUITES = {"T1": t1_funder, "T2": t2_load, "T3": t3_radar, "T4": t4_startup, "T5": t5_portrait, "T6": t6_answers,
          "T7": t7_lighthouse, "T8": t8_timeline, "T9": t9_release}
# The load measures run on either engine (--engine); the others measure code, on SQLite.
ON_EITHER_ENGINE = ("T2", "T6")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller scales, a few minutes")
    parser.add_argument("--only", nargs="*", choices=sorted(SUITES), help="run some measures only")
    parser.add_argument("--engine", choices=databases.ENGINES, default="sqlite",
                        help="database of the load measures (T2, T6; only these run on postgresql): postgresql uses "
                             "PARTENARIAT_BENCH_DATABASE_URL if set, else starts scripts/postgres.sh's throw-away server")
    args = parser.parse_args()
    names = args.only or (sorted(SUITES) if args.engine == "sqlite" else list(ON_EITHER_ENGINE))
    if args.engine != "sqlite" and set(names) - set(ON_EITHER_ENGINE):
        parser.error(f"only {' and '.join(ON_EITHER_ENGINE)} run on {args.engine}")
    results, details = {}, {}
    started, load_before = time.perf_counter(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="partenariat-bench-") as directory, \
            databases.databases(args.engine, Path(directory)) as store:
        for name in names:
            print(f"… {name}", flush=True)
            if name in ON_EITHER_ENGINE:
                measured = SUITES[name].run(args.quick, Path(directory), store)
            else:
                measured = SUITES[name].run(args.quick, Path(directory))
            details[name] = measured.pop("_detail", {})
            results[name] = measured
    print(f"\n{'measure':<22}{'value':>10}  target   {'':4}")
    failed = 0
    for measured in results.values():
        if "skipped" in measured:
            print(measured["skipped"])
    for (suite, key), (op, bound) in TARGETS.items():
        if suite not in results or "skipped" in results[suite]:
            continue
        value = results[suite][key]
        ok = value <= bound if op == "<=" else value >= bound
        failed += not ok
        print(f"{suite}.{key:<19}{value:>10.3f}  {op} {bound:<6}{'ok' if ok else 'MISSED'}")
    machine = {"python": platform.python_version(), "machine": platform.machine(), "system": platform.platform(),
               "cpus": os.cpu_count(), "mode": "quick" if args.quick else "full", "engine": args.engine,
               # The machine is shared: its load (1, 5, 15 min) before and after says how noisy the run was.
               "load_average": {"before": load_before, "after": os.getloadavg()},
               "seconds": round(time.perf_counter() - started, 1)}
    out = Path(__file__).resolve().parent / "results.json"
    out.write_text(json.dumps({**results, "details": details, "machine": machine}, indent=2, default=str))
    print(f"\n{failed} target(s) missed; load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after; "
          f"written to {out}")


if __name__ == "__main__":
    main()
