"""The language belongs to the link, among the languages the campaign offers."""

from __future__ import annotations

from partenariat.database import db
from partenariat.services.campaign import create_campaign
from partenariat.services.invitation import Invitee, invite


def link(app, languages="fr,en", language=None) -> str:
    with app.app_context():
        campaign = create_campaign(db(), partnership_name="Table langues", year=2026, status="open", languages=languages)
        [(_inv, token)] = invite(db(), campaign, [Invitee(language=language)])
        db().commit()
        return f"/r/{token}"


def test_a_campaign_offered_in_french_only_never_shows_english(app, client):
    url = link(app, languages="fr")
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Bienvenue" in page
    assert 'data-switch-lang="en"' not in page  # no switch to a language the campaign does not offer


def test_a_campaign_in_english_only_opens_in_english(app, client):
    url = link(app, languages="en")
    page = client.get(url).get_data(as_text=True)
    assert '<html lang="en">' in page and "Welcome" in page


def test_switching_language_follows_the_link_to_another_browser(app, client):
    url = link(app)
    assert '<html lang="fr">' in client.get(url).get_data(as_text=True)
    assert '<html lang="en">' in client.get(url + "?lang=en").get_data(as_text=True)
    other_device = app.test_client()  # no cookie: only the link is shared
    assert '<html lang="en">' in other_device.get(url).get_data(as_text=True)


def test_the_coordinators_choice_is_the_starting_language(app, client):
    url = link(app, language="en")
    assert '<html lang="en">' in client.get(url).get_data(as_text=True)
    # A coordinator's own language choice for the site does not leak into a partner's link.
    client.get("/?lang=fr")
    assert '<html lang="en">' in client.get(url).get_data(as_text=True)


def test_the_welcome_page_promises_a_language_switch_only_when_there_is_one(app, client):
    assert "passer du français à l'anglais" in client.get(link(app)).get_data(as_text=True)
    assert "passer du français à l'anglais" not in client.get(link(app, languages="fr")).get_data(as_text=True)
    english_only = client.get(link(app, languages="en")).get_data(as_text=True)
    assert "Welcome" in english_only and "switch between French and English" not in english_only
