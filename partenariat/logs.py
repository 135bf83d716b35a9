"""Logging: standard ``logging``, configured once by ``create_app``.

Every module logs through ``logging.getLogger(__name__)``. Records go to standard error (where
gunicorn and systemd collect them) at ``PARTENARIAT_LOG_LEVEL`` (default INFO). Nothing logged
ever carries a token, an answer or a partner's free text.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def init_app(app) -> None:
    level = app.config.get("LOG_LEVEL", "INFO")
    logger = logging.getLogger("partenariat")
    logger.setLevel(level)
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
    # Flask's own logger (unhandled exceptions) at the same level.
    app.logger.setLevel(level)
