"""A real gunicorn on loopback for the load and crash tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, database_url: str, workers: int = 4, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "load-test", **env}
        self.workers = workers

    def __enter__(self):
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        # Its log goes to a file, not a pipe: a pipe nobody reads fills up under a flood of
        # errors and then blocks the workers writing to it (a benchmark would hang).
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [gunicorn, "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", "--timeout", "60",
             "--graceful-timeout", "5", "app:create_app()"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2)
                return self
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("gunicorn did not start: " + self.logged()[-2000:])

    def logged(self) -> str:
        """What gunicorn and its workers have written to stderr so far."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
