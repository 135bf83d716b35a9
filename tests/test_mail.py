"""Invitations and reminders by e-mail, through a real SMTP conversation on loopback."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Campaign, Invitation
from tests.conftest import csrf_token, login
from tests.factories import campaign_with_responses
from tests.smtp_sink import SmtpSink


def test_links_and_reminders_are_e_mailed(app, client, accounts):
    campaign_id = campaign_with_responses(app, "Table A", 2026)
    with SmtpSink() as sink:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.server_address[1], MAIL_USE_TLS=False)
        login(client, "coord@example.org")
        page = client.get(f"/coordination/campaigns/{campaign_id}").get_data(as_text=True)
        assert "Envoyer un rappel" in page
        token = csrf_token(page)
        response = client.post(f"/coordination/campaigns/{campaign_id}/invitations",
                               data={"csrf_token": token, "kind": "one", "one-label": "Ville", "one-email": "ville@example.org",
                                     "one-language": "en", "send": "1"})
        assert "1 invitations envoyées par courriel" in response.get_data(as_text=True)
        assert len(sink.messages) == 1
        message = sink.messages[0]
        assert message["To"] == "ville@example.org"
        body = message.get_content()
        first_link = re.search(r"https?://[^/\s]+(/r/\S+)", body).group(1)
        # The partner's language first, then the other one.
        assert body.index("You are invited") < body.index("Vous êtes invité")

        client.post(f"/coordination/campaigns/{campaign_id}/reminders", data={"csrf_token": token})
        assert len(sink.messages) == 2
        reminder_link = re.search(r"https?://[^/\s]+(/r/\S+)", sink.messages[1].get_content()).group(1)
        assert reminder_link != first_link
    partner = app.test_client()
    assert partner.get(first_link).status_code == 404
    assert partner.get(reminder_link).status_code == 200


def test_unreachable_mail_server_is_reported_and_links_still_shown(app, client, accounts):
    campaign_id = campaign_with_responses(app, "Table A", 2026)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)
    login(client, "coord@example.org")
    token = csrf_token(client.get(f"/coordination/campaigns/{campaign_id}").get_data(as_text=True))
    response = client.post(f"/coordination/campaigns/{campaign_id}/invitations",
                           data={"csrf_token": token, "kind": "one", "one-email": "a@example.org", "send": "1"})
    html = response.get_data(as_text=True)
    assert "Le serveur de courriel est injoignable" in html and "/r/" in html
    with app.app_context():
        assert db().scalar(select(Invitation)).email == "a@example.org"


def draft_shows_c01_a(html: str) -> bool:
    return any('name="C01"' in tag and 'value="A"' in tag and "checked" in tag for tag in re.findall(r"<input [^>]*>", html))


def _pending_links(app, campaign_id, emails):
    """Invitations with an address and a started draft; returns their links."""
    from partenariat.services import draft as drafts
    from partenariat.services.invitation import Invitee, invite

    with app.app_context():
        campaign = db().get(Campaign, campaign_id)
        pairs = invite(db(), campaign, [Invitee(email=e) for e in emails])
        for invitation, _token in pairs:
            drafts.update(db(), invitation, sector="communautaire", answers={"C01": "A"})
        db().commit()
        return [f"/r/{token}" for _inv, token in pairs]


def test_reminders_with_the_mail_server_down_keep_every_old_link(app, client, accounts):
    """The bug: each reminder's new token was committed before the e-mail went, so with SMTP
    down the page said "nothing was sent" while every old link now answered 404."""
    campaign_id = campaign_with_responses(app, "Table A", 2026)
    links = _pending_links(app, campaign_id, ["a@example.org", "b@example.org"])
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)  # nothing listens on port 1
    login(client, "coord@example.org")
    token = csrf_token(client.get(f"/coordination/campaigns/{campaign_id}").get_data(as_text=True))
    page = client.post(f"/coordination/campaigns/{campaign_id}/reminders", data={"csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    page = html.unescape(page)
    assert "rien n'a été envoyé et tous les liens fonctionnent toujours" in page
    partner = app.test_client()
    for link in links:  # each old link still opens its draft
        assert draft_shows_c01_a(partner.get(f"{link}/conditions").get_data(as_text=True))


def test_a_server_that_gives_up_part_way_renews_only_the_links_it_sent(app, client, accounts):
    campaign_id = campaign_with_responses(app, "Table A", 2026)
    old_first, old_second = _pending_links(app, campaign_id, ["a@example.org", "b@example.org"])
    with SmtpSink(accept_at_most=1) as sink:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.server_address[1], MAIL_USE_TLS=False)
        login(client, "coord@example.org")
        token = csrf_token(client.get(f"/coordination/campaigns/{campaign_id}").get_data(as_text=True))
        page = client.post(f"/coordination/campaigns/{campaign_id}/reminders", data={"csrf_token": token},
                           follow_redirects=True).get_data(as_text=True)
        page = html.unescape(page)
        assert len(sink.messages) == 1 and sink.messages[0]["To"] == "a@example.org"
        new_first = re.search(r"https?://[^/\s]+(/r/\S+)", sink.messages[0].get_content()).group(1)
    assert "1 rappels envoyés" in page and "1 rappels n'ont pas pu être envoyés" in page
    partner = app.test_client()
    assert partner.get(old_first).status_code == 404  # replaced by the e-mailed link…
    assert partner.get(new_first).status_code == 200  # …which keeps the draft
    assert draft_shows_c01_a(partner.get(f"{new_first}/conditions").get_data(as_text=True))
    assert partner.get(old_second).status_code == 200  # not sent: the old link still works
