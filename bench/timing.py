"""Small timing helpers: the best of a few runs, after a warm-up."""

from __future__ import annotations

import statistics
import time


def best_of(function, repeat: int = 3, warmup: int = 1) -> float:
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def hello_world(base_url: str):
    """The baseline request of the load measures: (prepare, send) for the app's /health route,
    after two warm-up requests so that every worker has started."""
    import urllib.request

    for _ in range(2):
        urllib.request.urlopen(f"{base_url}/health", timeout=10).read()
    return (lambda: None,
            lambda _prepared: urllib.request.urlopen(f"{base_url}/health", timeout=60).read() == b"ok")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (Linux /proc). Unlike wall time
    it hardly moves with the load others put on a shared machine, which makes it the steadier
    way to compare the server's own work per request."""
    import os

    ticks = 0
    for pid in pids:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")
