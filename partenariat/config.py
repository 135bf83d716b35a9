"""Configuration from the environment (README.md and docs/portrait-json.md).

Nothing needs setting to run: the database defaults to a SQLite file in ``instance/`` and
the secret key is generated once into ``instance/`` so that sessions survive restarts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_K = 3


def _secret_key(instance: Path) -> str:
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    # Created with owner-only permissions: the key signs every session cookie.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def from_environment(instance: Path) -> dict:
    instance.mkdir(parents=True, exist_ok=True)
    env = os.environ
    return {
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{instance / 'partenariat.sqlite'}",
        "SECRET_KEY": env.get("SECRET_KEY") or _secret_key(instance),
        # Where links point. Unset: pages use the address the coordinator is using, and the
        # command line uses http://127.0.0.1:5000.
        "BASE_URL": (env.get("PARTENARIAT_BASE_URL") or "").rstrip("/") or None,
        "DEFAULT_K": int(env.get("PARTENARIAT_DEFAULT_K", DEFAULT_K)),
        # Funders see scores only for campaigns with at least this many responses (docs/privacy.md).
        "K_FUNDER": int(env.get("PARTENARIAT_K_FUNDER", 5)),
        # A partner may take an hour or more on a page: the CSRF token lives as long as
        # the session instead of expiring and losing their answers.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(env.get("PARTENARIAT_MAX_UPLOAD", 5 * 1024 * 1024)),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": env.get("PARTENARIAT_SECURE_COOKIES", "") == "1",
        # How many reverse proxies (nginx, a TLS terminator…) stand in front of the app; their
        # X-Forwarded-For/-Proto/-Host are believed only then. 0: the headers are ignored.
        "TRUSTED_PROXIES": int(env.get("PARTENARIAT_TRUSTED_PROXIES", 0)),
        "BABEL_DEFAULT_LOCALE": "fr",
        "CHART_CACHE_DIR": env.get("PARTENARIAT_CHART_CACHE") or str(instance / "chart-cache"),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", 587)),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_SENDER": env.get("MAIL_SENDER", "partenariat@localhost"),
        "LOG_LEVEL": (env.get("PARTENARIAT_LOG_LEVEL") or "INFO").upper(),
    }
