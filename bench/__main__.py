"""`python -m bench [--quick]`: every measure with its baseline in the same run; prints a table
and writes bench/results.json."""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

from bench import t1_funder, t2_load, t3_radar, t4_startup, t5_portrait, t6_answers, t8_timeline, t9_release

TARGETS = {
    ("T1", "ratio_vs_floor"): ("<=", 3), ("T1", "speedup_vs_pandas"): (">=", 2), ("T1", "peak_rss_mb"): ("<=", 400),
    ("T1", "scaling_exponent"): ("<=", 1.1), ("T2", "throughput_ratio"): (">=", 0.3), ("T2", "p95_ratio"): ("<=", 4),
    ("T2", "errors"): ("<=", 0), ("T3", "first_render_ratio"): ("<=", 1.5), ("T3", "cached_ratio"): ("<=", 0.05),
    ("T4", "startup_ratio"): ("<=", 2), ("T5", "page_ratio"): ("<=", 3),
    ("T6", "p95_ratio"): ("<=", 2), ("T6", "throughput_ratio"): (">=", 0.5), ("T6", "errors"): ("<=", 0),
    ("T6", "lost"): ("<=", 0),
    ("T8", "svg_ms"): ("<=", 200), ("T8", "ratio_vs_minimal"): ("<=", 3),
    ("T9", "ratio_vs_select"): ("<=", 3),
}
SUITES = {"T1": t1_funder, "T2": t2_load, "T3": t3_radar, "T4": t4_startup, "T5": t5_portrait, "T6": t6_answers,
          "T8": t8_timeline, "T9": t9_release}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller scales, a few minutes")
    parser.add_argument("--only", nargs="*", choices=sorted(SUITES), help="run some measures only")
    args = parser.parse_args()
    results, details = {}, {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="partenariat-bench-") as directory:
        for name in args.only or sorted(SUITES):
            print(f"… {name}", flush=True)
            measured = SUITES[name].run(args.quick, Path(directory))
            details[name] = measured.pop("_detail", {})
            results[name] = measured
    print(f"\n{'measure':<22}{'value':>10}  target   {'':4}")
    failed = 0
    for (suite, key), (op, bound) in TARGETS.items():
        if suite not in results:
            continue
        value = results[suite][key]
        ok = value <= bound if op == "<=" else value >= bound
        failed += not ok
        print(f"{suite}.{key:<19}{value:>10.3f}  {op} {bound:<6}{'ok' if ok else 'MISSED'}")
    machine = {"python": platform.python_version(), "machine": platform.machine(), "system": platform.platform(),
               "cpus": __import__("os").cpu_count(), "mode": "quick" if args.quick else "full",
               "seconds": round(time.perf_counter() - started, 1)}
    out = Path(__file__).resolve().parent / "results.json"
    out.write_text(json.dumps({**results, "details": details, "machine": machine}, indent=2, default=str))
    print(f"\n{failed} target(s) missed; written to {out}")


if __name__ == "__main__":
    main()
