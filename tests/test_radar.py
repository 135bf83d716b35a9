"""The radar renderer on its own: names are drawn as typed."""

from __future__ import annotations

import pytest

from exports import radar


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_dollar_pairs_in_names_are_text_not_mathtext(fmt):
    # "$\\unknown$" is invalid mathtext: parsed as math it raises ValueError.
    name = "Table $\\unknown$ des 5 $ de quartier"
    data = radar.render([name, "B", "C"], [radar.Series(name, [50, 75, None])], fmt=fmt, title=name,
                        missing_note="$\\frac$")
    assert data.startswith(b"\x89PNG" if fmt == "png" else b"<?xml")
    if fmt == "svg":
        # matplotlib writes each drawn text as a comment next to its glyphs: the raw name.
        assert data.decode().count("<!-- Table $\\unknown$ des 5 $ de quartier -->") >= 2
