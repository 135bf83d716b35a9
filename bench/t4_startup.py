"""T4 — start-up: create_app() in a fresh interpreter against `import flask, sqlalchemy`."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _fresh(code: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)
    return time.perf_counter() - start


def run(quick: bool, directory: Path) -> dict:
    env = {**os.environ, "SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tempfile.mkdtemp(dir=directory)}/s.sqlite",
           "PYTHONDONTWRITEBYTECODE": "0"}
    repeat = 5 if quick else 15
    baseline = min(_fresh("import flask, sqlalchemy", env) for _ in range(repeat))
    ours = min(_fresh("from app import create_app; create_app()", env) for _ in range(repeat))
    return {"startup_ratio": ours / baseline, "_detail": {"baseline_s": baseline, "create_app_s": ours}}
