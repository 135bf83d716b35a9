"""T6 — saving one clicked answer under load on a real gunicorn (2 workers), against a
hello-world route on the same server: 50 partners click an answer at once, round after
round (each round the next question), and every acknowledged answer must be in the drafts
afterwards."""

from __future__ import annotations

import http.cookiejar
import json
import statistics
import urllib.error
import urllib.request
from pathlib import Path

from bench import data, databases
from bench.t2_load import CSRF, PARTNERS, _concurrently
from bench.timing import cpu_seconds, hello_world, p95
from partenariat import database

VALUES = ("A", "B", "C", "NSP")


def _prepare(url: str, count: int) -> list[str]:
    from partenariat.database import db
    from partenariat.services.campaign import create_campaign
    from partenariat.services.invitation import Invitee, invite

    app = data.migrated_app(url)
    with app.app_context():
        campaign = create_campaign(db(), partnership_name="Clics", year=2026, status="open")
        pairs = invite(db(), campaign, [Invitee(sector="communautaire")] * count)
        db().commit()
    database.dispose(app)
    return [token for _inv, token in pairs]


def _stored(url: str, tokens: list[str]) -> dict[str, dict]:
    """Each link's saved answers, read back from the database once the server has stopped."""
    from partenariat.database import db
    from partenariat.models import Draft, Invitation
    from partenariat.services.invitation import find_by_token

    app = data.migrated_app(url)
    with app.app_context():
        drafts = {draft.invitation_id: draft.data["answers"] for draft in db().query(Draft)}
        found = {}
        for token in tokens:
            invitation: Invitation = find_by_token(db(), token)
            found[token] = drafts.get(invitation.id, {})
    database.dispose(app)
    return found


def run(quick: bool, directory: Path, store=None) -> dict:
    from tests.server import Gunicorn

    store = store or databases.SQLite(directory)
    url = store.url("answers")
    rounds = 3 if quick else 7
    tokens = _prepare(url, PARTNERS)
    acknowledged: dict[str, dict[str, str]] = {token: {} for token in tokens}
    with Gunicorn(url, workers=2) as server:
        # Each partner has the questionnaire open in their own browser: its session cookie
        # and the page's CSRF token. Clicks then go through the same client as the baseline
        # (urlopen), the cookie sent as a header, so that the client's own work is alike.
        browsers = {}
        for token in tokens:
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            page = opener.open(f"{server.url}/r/{token}/conditions", timeout=60).read().decode()
            browsers[token] = {"Content-Type": "application/json", "X-CSRFToken": CSRF.search(page).group(1),
                               "Cookie": "; ".join(f"{c.name}={c.value}" for c in jar)}

        def click(token, item, value):
            def prepare():
                return urllib.request.Request(f"{server.url}/r/{token}/answer", method="POST", headers=browsers[token],
                                              data=json.dumps({"item": item, "value": value}).encode())

            def send(request):
                try:
                    reply = json.loads(urllib.request.urlopen(request, timeout=60).read())
                except urllib.error.HTTPError:
                    return False
                if reply.get("saved") is True:
                    acknowledged[token][item] = value
                    return True
                return False

            return prepare, send

        hello_prepared = hello_world(server.url)  # also warms the workers

        def hello():
            return hello_prepared
        # Every partner has answered before (the measure is a click in the middle of the
        # questionnaire): a link's first click also marks it started, a different request,
        # which made the first of the rounds a mix of both. This also warms the answer path.
        warm_item = data.ITEMS[-1]
        for token in tokens:
            prepare, send = click(token, warm_item, "NSP")
            send(prepare())
        # Several rounds, alternating baseline and measure; the median round is reported.
        throughput, latency, errors, walls = [], [], 0, []
        workers, database = server.worker_pids(), store.server_pids(url)
        cpu = {"hello": 0.0, "answer": 0.0, "answer_database": 0.0}
        for round_ in range(rounds):
            before = cpu_seconds(workers)
            hello_wall, hello_latencies, hello_errors = _concurrently([hello() for _ in range(PARTNERS)])
            between, database_between = cpu_seconds(workers), cpu_seconds(database)
            item = data.ITEMS[round_]
            answer_wall, answer_latencies, answer_errors = _concurrently(
                [click(token, item, VALUES[(i + round_) % 4]) for i, token in enumerate(tokens)])
            cpu["hello"] += between - before
            cpu["answer"] += cpu_seconds(workers) - between
            cpu["answer_database"] += cpu_seconds(database) - database_between
            throughput.append(hello_wall / answer_wall)  # (50 / answer_wall) / (50 / hello_wall)
            latency.append(p95(answer_latencies) / p95(hello_latencies))
            errors += hello_errors + answer_errors
            walls.append({"answer_wall_s": answer_wall, "hello_wall_s": hello_wall,
                          "answer_p95_s": p95(answer_latencies), "hello_p95_s": p95(hello_latencies)})
    stored = _stored(url, tokens)
    lost = sum(1 for token, answers in acknowledged.items() for item, value in answers.items()
               if stored[token].get(item) != value)
    return {
        "throughput_ratio": statistics.median(throughput),
        "p95_ratio": statistics.median(latency),
        "errors": errors,
        "lost": lost,
        "_detail": {"rounds": walls, "acknowledged": sum(len(a) for a in acknowledged.values()),
                    # CPU per request of the gunicorn workers, and of the PostgreSQL server processes
                    # serving them (0 on SQLite, which works inside the workers)
                    "cpu_ms_per_request": {name: seconds / (rounds * PARTNERS) * 1e3
                                                  for name, seconds in cpu.items()}},
    }
