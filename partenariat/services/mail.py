"""E-mailing personal links and reminders, when an SMTP server is configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from partenariat.models import Campaign, Invitation
from partenariat.services.invitation import personal_link, renew_link


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _message(campaign: Campaign, invitation: Invitation, token: str, reminder: bool) -> EmailMessage:
    link = personal_link(token)
    parts = []
    # Both languages, the partner's own first.
    for lang in ([invitation.language] if invitation.language else []) + [x for x in ("fr", "en") if x != invitation.language]:
        with force_locale(lang):
            intro = (_("A reminder: the self-assessment of %(partnership)s is waiting for your answers.", partnership=campaign.partnership.name)
                     if reminder else
                     _("You are invited to the self-assessment of %(partnership)s (%(title)s).", partnership=campaign.partnership.name, title=campaign.title))
            parts.append("\n".join([
                intro,
                _("Your personal link (do not forward it): %(link)s", link=link),
                _("About 20 minutes; your answers are saved as you go and kept anonymous."),
            ]))
    message = EmailMessage()
    message["Subject"] = f"{campaign.partnership.name} — {campaign.title}"
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = invitation.email
    message.set_content("\n\n———\n\n".join(parts))
    return message


def _send(messages: list[EmailMessage]) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        for message in messages:
            smtp.send_message(message)


def send_links(campaign: Campaign, created: list[tuple[Invitation, str]]) -> int:
    """E-mail freshly created links to the invitations that have an address."""
    messages = [_message(campaign, inv, token, reminder=False) for inv, token in created if inv.email]
    if messages:
        _send(messages)
    return len(messages)


def send_reminders(session: Session, campaign: Campaign) -> int:
    """Remind partners who have not sent their answers. Their tokens are stored hashed, so
    each reminder carries a new link (the draft is kept; the old link stops working)."""
    pending = session.scalars(select(Invitation).where(
        Invitation.campaign_id == campaign.id, Invitation.status != "submitted", Invitation.email.is_not(None))).all()
    messages = [_message(campaign, inv, renew_link(session, inv), reminder=True) for inv in pending]
    if messages:
        _send(messages)
    return len(messages)
