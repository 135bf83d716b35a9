"""Start-up: app.py pauses the cycle collector while its imports run (T4) and must leave it on."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

CHECK = """
import gc
import app
assert gc.isenabled(), "the cycle collector was left off"
assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()
gc.disable()
import importlib
importlib.reload(app)
assert not gc.isenabled(), "a collector its caller had turned off was turned on"
print("ok")
"""


def test_importing_the_app_leaves_the_cycle_collector_as_it_was():
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
