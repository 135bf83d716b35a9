"""Marking messages in pure code (no Flask): the catalog extraction finds ``_l("…")``, and the
message is translated where it is shown, with the translation function of the moment."""


def _l(message: str) -> str:
    """Mark a message for the translation catalog; it is translated when shown."""
    return message
