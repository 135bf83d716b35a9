"""E-mailing personal links, reminders and accounts' set-password links, when an SMTP server is configured."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from partenariat.models import Campaign, Invitation
from partenariat.services.invitation import apply_planned_token, personal_link, planned_token
from partenariat.statuses import InvitationStatus

log = logging.getLogger(__name__)


class MailServerUnreachable(Exception):
    """The SMTP server could not be reached or refused us: nothing was sent."""


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _one_line(text: str) -> str:
    """Header-safe: a title typed with a line break must not break the message (or inject headers)."""
    return " ".join(text.split())


def invitation_text(campaign: Campaign, link: str, reminder: bool, first_lang: str | None = None) -> str:
    """The invitation in both languages, ``first_lang`` first: the e-mail's body, and the text
    coordinators paste into their own e-mails when no mail server is set."""
    partnership = _one_line(campaign.partnership.name)
    title = _one_line(campaign.title)
    parts = []
    for lang in ([first_lang] if first_lang else []) + [x for x in ("fr", "en") if x != first_lang]:
        with force_locale(lang):
            intro = (_("A reminder: the self-assessment of %(partnership)s is waiting for your answers.", partnership=partnership)
                     if reminder else
                     _("You are invited to the self-assessment of %(partnership)s (%(title)s).", partnership=partnership, title=title))
            parts.append("\n".join([
                intro,
                _("Your personal link (do not forward it): %(link)s", link=link),
                _("About 20 minutes; your answers are saved as you go and kept anonymous."),
            ]))
    return "\n\n———\n\n".join(parts)


def _message(campaign: Campaign, invitation: Invitation, token: str, reminder: bool) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"{_one_line(campaign.partnership.name)} — {_one_line(campaign.title)}"
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = invitation.email
    message.set_content(invitation_text(campaign, personal_link(token), reminder, invitation.language))
    return message


def _deliver(messages: list[tuple[object, EmailMessage]]) -> list:
    """Send each message; returns the keys of those the server accepted. Raises
    MailServerUnreachable when the server cannot be used at all."""
    config = current_app.config
    accepted = []
    try:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20)
    except OSError as error:
        log.error("SMTP server %s:%s unreachable: %s", config["MAIL_SERVER"], config["MAIL_PORT"], error)
        raise MailServerUnreachable() from error
    try:
        with smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            for key, message in messages:
                try:
                    smtp.send_message(message)
                except smtplib.SMTPRecipientsRefused as error:
                    log.warning("SMTP refused a recipient: %s", error)
                    continue
                accepted.append(key)
    except (OSError, smtplib.SMTPException) as error:
        log.error("SMTP delivery stopped after %s of %s messages: %s", len(accepted), len(messages), error)
        if not accepted:
            raise MailServerUnreachable() from error
    return accepted


def send_links(campaign: Campaign, created: list[tuple[Invitation, str]]) -> Delivery:
    """E-mail freshly created links to the invitations that have an address."""
    messages = [(inv.id, _message(campaign, inv, token, reminder=False)) for inv, token in created if inv.email]
    sent = _deliver(messages) if messages else []
    return Delivery(len(sent), len(messages) - len(sent))


def send_reminders(session: Session, campaign: Campaign) -> Delivery:
    """Remind partners who have not sent their answers. Their tokens are stored hashed, so
    each reminder carries a new link; an invitation gets that new link only if its e-mail
    was accepted by the server, so a failed send leaves every old link working. The draft
    is kept: the link goes straight to the partner's address and is never displayed."""
    pending = session.scalars(select(Invitation).where(
        Invitation.campaign_id == campaign.id, Invitation.status != InvitationStatus.SUBMITTED,
        Invitation.email.is_not(None)).order_by(Invitation.id)).all()
    planned = {inv.id: (inv, *planned_token()) for inv in pending}
    messages = [(inv.id, _message(campaign, inv, token, reminder=True)) for inv, token, _hash in planned.values()]
    sent = _deliver(messages) if messages else []
    for invitation_id in sent:
        invitation, _token, token_hash = planned[invitation_id]
        apply_planned_token(invitation, token_hash)
    session.flush()
    return Delivery(len(sent), len(messages) - len(sent))


def send_new_link(session: Session, campaign: Campaign, invitation: Invitation) -> None:
    """E-mail one partner a new link that keeps their draft (it is never displayed)."""
    token, token_hash = planned_token()
    if not _deliver([(invitation.id, _message(campaign, invitation, token, reminder=True))]):
        raise MailServerUnreachable()
    apply_planned_token(invitation, token_hash)
    session.flush()



def send_account_link(email: str, role: str, link: str) -> None:
    """E-mail an account's one-time set-password link, in French then in English (an account
    has no language of its own). Raises MailServerUnreachable when it was not accepted."""
    from partenariat.roles import LABELS as ROLE_LABELS

    parts, subjects = [], []
    for lang in ("fr", "en"):
        with force_locale(lang):
            subjects.append(_("your account"))
            parts.append("\n".join([
                _("An account on Partenariat awaits you (%(role)s): %(email)s.", role=str(ROLE_LABELS[role]), email=email),
                _("Choose your password with this link, within 7 days; it works once: %(link)s", link=link),
                _("If you did not expect this message, ignore it: nothing happens without the link."),
            ]))
    message = EmailMessage()
    message["Subject"] = "Partenariat — " + " / ".join(subjects)
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = email
    message.set_content("\n\n———\n\n".join(parts))
    if not _deliver([(email, message)]):
        raise MailServerUnreachable()
