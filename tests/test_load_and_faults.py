"""A real gunicorn on loopback: 200 partners submitting at the same moment, a worker killed in
the middle of a submission. Bounded in count and time; loopback only."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import func, select

from partenariat.database import db
from partenariat.models import Answer, Draft, Invitation, Response
from partenariat.services import draft as drafts
from partenariat.services.campaign import create_campaign
from partenariat.services.invitation import Invitee, invite
from questionnaires import load_instrument
from tests.server import Gunicorn

ITEMS = load_instrument().item_codes
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)


def submit(base: str, token: str, browser=None, timeout=60) -> int:
    """Load the review page, then send the confirmation; returns the HTTP status."""
    browser = browser or opener()
    page = browser.open(f"{base}/r/{token}/review", timeout=timeout).read().decode()
    body = urllib.parse.urlencode({"csrf_token": CSRF.search(page).group(1), "confirm": "y"}).encode()
    try:
        return browser.open(f"{base}/r/{token}/review", data=body, timeout=timeout).status
    except urllib.error.HTTPError as error:
        return error.code


def prepared_links(app, count: int) -> list[str]:
    """Invitations with a complete draft each, ready to be submitted."""
    with app.app_context():
        campaign = create_campaign(db(), partnership_name="Table charge", year=2026, status="open")
        pairs = invite(db(), campaign, [Invitee(sector="communautaire")] * count)
        for invitation, _token in pairs:
            drafts.update(db(), invitation, answers=dict.fromkeys(ITEMS, "B"))
        db().commit()
        return [token for _inv, token in pairs]


def test_200_partners_submitting_at_once(app, database_url):
    tokens = prepared_links(app, 200)
    statuses: dict[str, int] = {}
    with Gunicorn(database_url, workers=4) as server:
        barrier = threading.Barrier(len(tokens))
        browsers = {token: opener() for token in tokens}
        pages = {}

        def run(token):
            try:
                page = browsers[token].open(f"{server.url}/r/{token}/review", timeout=60).read().decode()
                pages[token] = CSRF.search(page).group(1)
                barrier.wait(timeout=120)
                body = urllib.parse.urlencode({"csrf_token": pages[token], "confirm": "y"}).encode()
                statuses[token] = browsers[token].open(f"{server.url}/r/{token}/review", data=body, timeout=120).status
            except urllib.error.HTTPError as error:
                statuses[token] = error.code
            except Exception as error:  # noqa: BLE001 — recorded and asserted below
                statuses[token] = repr(error)

        threads = [threading.Thread(target=run, args=(t,)) for t in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
    acknowledged = [t for t, status in statuses.items() if status == 302]
    assert len(acknowledged) == 200, {s for s in statuses.values() if s != 302}
    with app.app_context():
        session = db()
        assert session.scalar(select(func.count()).select_from(Response)) == 200
        per_response = session.execute(select(Answer.response_id, func.count()).group_by(Answer.response_id)).all()
        assert len(per_response) == 200 and all(n == len(ITEMS) for _rid, n in per_response)
        assert session.scalar(select(func.count()).where(Invitation.status == "submitted")) == 200
        assert session.scalar(select(func.count()).select_from(Draft)) == 0


def test_double_click_and_replay_make_one_response(app, database_url):
    [token] = prepared_links(app, 1)
    with Gunicorn(database_url, workers=2) as server:
        browser = opener()
        page = browser.open(f"{server.url}/r/{token}/review", timeout=30).read().decode()
        body = urllib.parse.urlencode({"csrf_token": CSRF.search(page).group(1), "confirm": "y"}).encode()
        results = []

        def click():
            try:
                results.append(browser.open(f"{server.url}/r/{token}/review", data=body, timeout=30).status)
            except urllib.error.HTTPError as error:
                results.append(error.code)

        threads = [threading.Thread(target=click) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(results) == 5 and all(code in (302, 409) for code in results)
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(Response)) == 1


def test_worker_killed_mid_submission_leaves_no_partial_response(app, database_url, tmp_path):
    [token] = prepared_links(app, 1)
    marker = tmp_path / "pause"
    marker.touch()
    with Gunicorn(database_url, workers=1, PARTENARIAT_FAULT_PAUSE_FILE=str(marker)) as server:
        outcome = {}
        thread = threading.Thread(target=lambda: outcome.setdefault("status", _safe_submit(server.url, token)))
        thread.start()
        reached = tmp_path / "pause.reached"  # written by the submission once inside its transaction
        deadline = time.monotonic() + 30
        while not reached.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reached.exists(), "the submission never reached its pause point"
        [worker] = server.worker_pids()
        os.kill(worker, signal.SIGKILL)
        thread.join(timeout=30)
        marker.unlink()
        with app.app_context():
            session = db()
            assert session.scalar(select(func.count()).select_from(Response)) == 0
            assert session.scalar(select(func.count()).select_from(Answer)) == 0
            assert session.scalar(select(Invitation.status)) == "started"
            assert len(session.scalar(select(Draft)).data["answers"]) == len(ITEMS)  # the draft is intact
        # The master starts a new worker; the partner simply sends again.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(server.worker_pids()) < 1:
            time.sleep(0.2)
        assert submit(server.url, token) == 302
    assert outcome["status"] != 302  # the killed request was never acknowledged
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(Response)) == 1


def _safe_submit(base, token):
    try:
        return submit(base, token, timeout=30)
    except Exception as error:  # noqa: BLE001 — a dropped connection is the expected outcome
        return repr(error)
