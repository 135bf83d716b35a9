"""Hostile input and security properties: guessing limits, headers, cookies, sizes, outages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app import create_app
from partenariat.database import db
from partenariat.models import Draft
from tests.conftest import csrf_token, login


def test_link_guessing_is_limited_per_ip_but_never_blocks_a_valid_link(client, make_campaign):
    """30 wrong links from a community centre's shared address must not lock its partners out."""
    _cid, [token] = make_campaign()
    for attempt in range(30):
        assert client.get(f"/r/wrong-{attempt}").status_code == 404
    blocked = client.get("/r/wrong-again")
    html = blocked.get_data(as_text=True)
    assert blocked.status_code == 429 and "Trop de liens erronés" in html and "Too many wrong links" in html
    valid = client.get(f"/r/{token}")  # same address: the right link still opens
    assert valid.status_code == 200 and "Bienvenue" in valid.get_data(as_text=True)
    other_ip = client.get("/r/wrong-elsewhere", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other_ip.status_code == 404


def test_tokens_are_long_random_and_hashed(app, make_campaign):
    from partenariat.models import Invitation

    _cid, tokens = make_campaign(5)
    assert all(len(t) == 32 for t in tokens) and len(set(tokens)) == 5  # 24 random bytes = 192 bits
    with app.app_context():
        hashes = set(db().scalars(select(Invitation.token_hash)))
    assert not hashes & set(tokens) and all(len(h) == 64 for h in hashes)


def test_security_headers_on_every_kind_of_page(client, make_campaign, accounts):
    _cid, [token] = make_campaign()
    login(client, "coord@example.org")
    for url in ("/", f"/r/{token}", "/r/nope", "/coordination/", "/methodology", "/static/css/app.css"):
        headers = client.get(url).headers
        assert headers["Referrer-Policy"] == "no-referrer", url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, url


def test_no_inline_script_or_style_attribute_anywhere(client, make_campaign, accounts):
    _cid, [token] = make_campaign()
    login(client, "coord@example.org")
    for url in ("/", f"/r/{token}", f"/r/{token}/controversies", "/coordination/", "/account/password"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "onclick=" not in html, url


def test_session_cookie_flags(app, make_campaign):
    _cid, [token] = make_campaign()

    def session_cookie():
        cookies = app.test_client().get(f"/r/{token}").headers.getlist("Set-Cookie")
        return next(c for c in cookies if c.startswith("session="))

    cookie = session_cookie()
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "Secure" in session_cookie()


def test_oversized_request_is_refused_cleanly(app, client, make_campaign):
    _cid, [token] = make_campaign()
    html = client.get(f"/r/{token}/conditions").get_data(as_text=True)
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = client.post(f"/r/{token}/conditions", data={"csrf_token": csrf_token(html), "report_title": big})
    text = response.get_data(as_text=True)
    assert response.status_code == 413 and "trop volumineux" in text and "too large" in text
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(Draft)) == 0


def test_database_unavailable_gives_a_clear_503(tmp_path):
    broken = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite", "SECRET_KEY": "x"})
    response = broken.test_client().get("/r/sometoken1234567890")
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "ne peut pas joindre sa base de données" in text and "cannot reach its database" in text
    assert "Traceback" not in text


def test_unexpected_error_is_a_bilingual_500_without_trace(app):
    app.config["TESTING"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500 and "secret internals" not in text and "Something went wrong" in text


def test_no_secret_is_kept_in_the_repository():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    assert not [f for f in files if f.startswith("instance/") or f.endswith((".sqlite", "secret_key", ".pem", ".key"))]
    for name in files:
        if name.endswith(".py"):
            text = (root / name).read_text(encoding="utf-8")
            assert not re.search(r"SECRET_KEY\"?\s*[:=]\s*\"[A-Za-z0-9]{16,}", text), name


def test_the_session_cookie_follows_a_new_secret_key(app):
    """The session's serializer is built once per key (security.SessionCookie): a new
    SECRET_KEY must still void the cookies signed with the old one, unless the old key is
    listed in SECRET_KEY_FALLBACKS (Flask's way to rotate keys)."""
    from itsdangerous import BadSignature

    sessions = app.session_interface
    signed = sessions.get_signing_serializer(app).dumps({"csrf_token": "x"})
    assert sessions.get_signing_serializer(app).loads(signed) == {"csrf_token": "x"}
    app.secret_key = "a-new-secret"
    with pytest.raises(BadSignature):
        sessions.get_signing_serializer(app).loads(signed)
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret"]
    assert sessions.get_signing_serializer(app).loads(signed) == {"csrf_token": "x"}
