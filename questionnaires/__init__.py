"""The instruments as data files (``v<version>/*.toml``) and their loader."""

from questionnaires.loader import (
    ANSWER_CODES,
    LANGUAGES,
    MISSING_CODE,
    Instrument,
    InstrumentError,
    load_instrument,
)

__all__ = [
    "ANSWER_CODES",
    "LANGUAGES",
    "MISSING_CODE",
    "Instrument",
    "InstrumentError",
    "load_instrument",
]
