"""The workbooks' data dictionaries state the scale and bands of the instrument's TOML."""

from __future__ import annotations

import dataclasses

from flask_babel import force_locale

from exports import rules_text
from questionnaires import load_instrument
from questionnaires.loader import Band, Localized


def test_sentences_of_the_shipped_instrument(app):
    instrument = load_instrument()
    with app.app_context(), force_locale("en"):
        assert rules_text.answer_values(instrument) == "A = 2, B = 1, C = 0"
        assert rules_text.item_factor(instrument) == "50"
        assert rules_text.bands(instrument, "en") == "Strength: 75 or more. To consolidate: 50 to under 75. To work on: under 50."
    with app.app_context(), force_locale("fr"):
        assert rules_text.bands(instrument, "fr") == \
            "Force : 75 ou plus. À consolider : de 50 à moins de 75. À travailler : moins de 50."


def test_sentences_follow_another_scale_and_other_bands(app):
    other = dataclasses.replace(
        load_instrument(), scale={"A": 4, "B": 1, "C": 0},
        bands=(Band("high", 80.0, Localized("Haut", "High")), Band("low", 0.0, Localized("Bas", "Low"))))
    with app.app_context(), force_locale("en"):
        assert rules_text.answer_values(other) == "A = 4, B = 1, C = 0"
        assert rules_text.item_factor(other) == "25"  # 100 / 4
        assert rules_text.bands(other, "en") == "High: 80 or more. Low: under 80."
