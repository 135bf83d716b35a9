"""T7 — Lighthouse (npm, pinned) on a partner's section page of the demo, served by gunicorn,
with its default mobile emulation and simulated throttling (slow 4G, a 4× slower CPU):
the performance score and the bytes transferred (page, styles, scripts, everything loaded).

Lighthouse is installed once with npm into a cache directory (never globally, never in the
project); the measure is skipped, with the reason, when npm, Node or Chromium is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from bench import data
from partenariat import database

LIGHTHOUSE = "lighthouse@12.2.3"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "partenariat-bench" / LIGHTHOUSE.replace("@", "-")
CLI = CACHE / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index")


def _missing() -> str | None:
    if not shutil.which("npm") or not shutil.which("node"):
        return "npm and Node are needed for Lighthouse (Debian: apt-get install nodejs npm)"
    if not Path(CHROME).exists():
        return f"no Chromium at {CHROME} (set CHROME_PATH, or apt-get install chromium)"
    if not CLI.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"  installing {LIGHTHOUSE} into {CACHE}", flush=True)
        done = subprocess.run(["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "--loglevel=error",
                               LIGHTHOUSE], capture_output=True, text=True, timeout=900)
        if done.returncode != 0 or not CLI.exists():
            return f"npm could not install {LIGHTHOUSE}: {done.stderr.strip()[-300:]}"
    return None


def _partner_page(url: str) -> str:
    """The path of the demo's first half-way partner's first part (18 questions, some answered)."""
    from partenariat.database import db
    from partenariat.services import demo

    app = data.migrated_app(url)
    with app.app_context():
        links = demo.seed(db())
        db().commit()
    database.dispose(app)
    _label, token = links.half_done[0]
    return f"/r/{token}/conditions"


def _lighthouse(page_url: str, out: Path) -> dict:
    subprocess.run(
        ["node", str(CLI), page_url, "--quiet", "--output=json", f"--output-path={out}", "--only-categories=performance",
         "--form-factor=mobile", "--throttling-method=simulate",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
        check=True, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, timeout=300)
    report = json.loads(out.read_text())
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "performance": report["categories"]["performance"]["score"] * 100,
        "transferred_kb": audits["total-byte-weight"]["numericValue"] / 1024,
        **{name: audits[name]["numericValue"] for name in METRICS},
        "requests": [(item["url"].rsplit("/", 1)[-1][:40], item.get("transferSize", 0), item.get("resourceType"))
                     for item in requests],
        "render_blocking": [(item["url"].rsplit("/", 1)[-1], round(item.get("wastedMs", 0)))
                            for item in audits["render-blocking-resources"].get("details", {}).get("items", [])],
    }


def run(quick: bool, directory: Path) -> dict:
    missing = _missing()
    if missing:
        return {"skipped": f"T7 skipped: {missing}"}
    from tests.server import Gunicorn

    url = f"sqlite:///{directory / 'demo.sqlite'}"
    path = _partner_page(url)
    runs = []
    with Gunicorn(url, workers=2) as server:
        for number in range(1 if quick else 3):
            runs.append(_lighthouse(server.url + path, directory / f"lighthouse-{number}.json"))
    middle = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
    return {
        "performance": statistics.median(r["performance"] for r in runs),
        "transferred_kb": statistics.median(r["transferred_kb"] for r in runs),
        "_detail": {"runs": [{k: v for k, v in r.items() if k not in ("requests",)} for r in runs],
                    "requests": middle["requests"], "lighthouse": LIGHTHOUSE},
    }
