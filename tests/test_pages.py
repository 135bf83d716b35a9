"""Public pages: home and methodology, in both languages, with the data-driven tables."""

from __future__ import annotations

import re


def test_home_page_in_both_languages(client):
    french = client.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in french and "Vous avez reçu un lien personnel ?" in french
    english = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "You received a personal link?" in english
    # The choice sticks for the session.
    assert "You received a personal link?" in client.get("/").get_data(as_text=True)


def test_methodology_page_shows_rules_bands_and_the_rt_mapping(client):
    html = client.get("/methodology").get_data(as_text=True)
    assert "Comment les résultats sont calculés" in html
    assert "proposition de Partenariat" in html
    row = re.search(r"RT01 · Création de réseaux</th>.*?</tr>", html, re.S).group(0)
    assert "C01 (0.5), C02 (0.5), C06 (0.5), C14 (0.5), K2_1 (1.0)" in row
    assert re.search(r"<td>À consolider</td><td>50</td>", html)
    english = client.get("/methodology?lang=en").get_data(as_text=True)
    assert "How the results are computed" in english and "RT12 · Decision-makers committed to the change" in english


def test_unknown_page_is_a_bilingual_404(client):
    response = client.get("/nowhere")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "Page introuvable" in html and "Page not found" in html


def test_every_kind_of_page_names_an_icon_that_is_served(client):
    """Without one, browsers ask for /favicon.ico on every first visit and get a 404 page."""
    for path in ("/", "/nowhere", "/r/not-a-link"):  # the site's layout, a bilingual error page, a partner's
        html = client.get(path).get_data(as_text=True)
        assert re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html) == ["/static/favicon.svg"], path
    response = client.get("/static/favicon.svg")
    assert response.mimetype == "image/svg+xml" and response.get_data(as_text=True).startswith("<svg ")
