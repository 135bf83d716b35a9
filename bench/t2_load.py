"""T2 — submissions under load on a real gunicorn (2 workers), against a hello-world route on
the same server: 50 partners submit at once."""

from __future__ import annotations

import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench import data, databases
from bench.timing import hello_world, p95
from partenariat import database

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
PARTNERS = 50


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _prepare(url: str, count: int) -> list[str]:
    from partenariat.database import db
    from partenariat.services import draft as drafts
    from partenariat.services.campaign import create_campaign
    from partenariat.services.invitation import Invitee, invite

    app = data.migrated_app(url)
    with app.app_context():
        campaign = create_campaign(db(), partnership_name="Charge", year=2026, status="open")
        pairs = invite(db(), campaign, [Invitee(sector="communautaire")] * count)
        for invitation, _token in pairs:
            drafts.update(db(), invitation, answers=dict.fromkeys(data.ITEMS, "A"))
        db().commit()  # services only flush: the caller commits (or nothing is there to load)
    database.dispose(app)
    return [token for _inv, token in pairs]


def _concurrently(jobs) -> tuple[float, list[float], int]:
    """Run the jobs at once (released by a barrier); wall time, latencies, errors."""
    barrier = threading.Barrier(len(jobs) + 1)
    latencies, errors = [], []

    def run(job):
        prepared = job[0]()
        barrier.wait()
        start = time.perf_counter()
        try:
            ok = job[1](prepared)
        except (OSError, urllib.error.URLError):
            ok = False
        latencies.append(time.perf_counter() - start)
        if not ok:
            errors.append(1)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join(timeout=120)
    return time.perf_counter() - start, latencies, len(errors)


def run(quick: bool, directory: Path, store=None) -> dict:
    import http.cookiejar

    from tests.server import Gunicorn

    url = (store or databases.SQLite(directory)).url("load")
    rounds = 7
    warmup = 10
    tokens = _prepare(url, PARTNERS * rounds + warmup)
    with Gunicorn(url, workers=2) as server:
        def submission(token):
            def prepare():
                browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                      NoRedirect)
                page = browser.open(f"{server.url}/r/{token}/review", timeout=60).read().decode()
                return browser, urllib.parse.urlencode({"csrf_token": CSRF.search(page).group(1), "confirm": "y"}).encode()

            def send(prepared):
                browser, body = prepared
                try:
                    browser.open(f"{server.url}/r/{token}/review", data=body, timeout=60)
                except urllib.error.HTTPError as error:
                    return error.code == 302  # acknowledged: redirected to the receipt
                return False

            return prepare, send

        hello_prepared = hello_world(server.url)  # also warms the workers

        def hello():
            return hello_prepared
        for token in tokens[-warmup:]:  # and the submission path (imports, caches, statements)
            prepare, send = submission(token)
            send(prepare())
        # Several rounds, alternating baseline and measure; the median round is reported.
        throughput, latency, errors, walls = [], [], 0, []
        for round_ in range(rounds):
            hello_wall, hello_latencies, hello_errors = _concurrently([hello() for _ in range(PARTNERS)])
            batch = tokens[round_ * PARTNERS:(round_ + 1) * PARTNERS]
            submit_wall, submit_latencies, submit_errors = _concurrently([submission(t) for t in batch])
            throughput.append(hello_wall / submit_wall)  # (50 / submit_wall) / (50 / hello_wall)
            latency.append(p95(submit_latencies) / p95(hello_latencies))
            errors += hello_errors + submit_errors
            walls.append({"submit_wall_s": submit_wall, "hello_wall_s": hello_wall,
                          "submit_p95_s": p95(submit_latencies), "hello_p95_s": p95(hello_latencies)})
    return {
        "throughput_ratio": statistics.median(throughput),
        "p95_ratio": statistics.median(latency),
        "errors": errors,
        "_detail": {"rounds": walls},
    }
