"""Invitations and reminders by e-mail, through a real SMTP conversation on loopback."""

from __future__ import annotations

import re

from sqlalchemy import select

from partenariat.database import db
from partenariat.models import Invitation
from tests.conftest import csrf_token, login
from tests.smtp_sink import SmtpSink
from tests.test_coordination import seed_campaign


def test_links_and_reminders_are_e_mailed(app, client, accounts):
    campaign_id = seed_campaign(app, "Table A", 2026)
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
    campaign_id = seed_campaign(app, "Table A", 2026)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)
    login(client, "coord@example.org")
    token = csrf_token(client.get(f"/coordination/campaigns/{campaign_id}").get_data(as_text=True))
    response = client.post(f"/coordination/campaigns/{campaign_id}/invitations",
                           data={"csrf_token": token, "kind": "one", "one-email": "a@example.org", "send": "1"})
    html = response.get_data(as_text=True)
    assert "Le serveur de courriel est injoignable" in html and "/r/" in html
    with app.app_context():
        assert db().scalar(select(Invitation)).email == "a@example.org"
