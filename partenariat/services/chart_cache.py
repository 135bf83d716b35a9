"""Radar images cached on disk, keyed by the data they draw, shared by every worker."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cached(directory: Path | str, key_parts: list, render: Callable[[], bytes]) -> bytes:
    key = hashlib.sha256(repr(key_parts).encode("utf-8")).hexdigest()
    path = Path(directory) / key[:2] / key
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = render()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so that another worker never reads half a file.
    fd, temporary = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
    return data
