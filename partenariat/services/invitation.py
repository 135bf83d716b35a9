"""Personal links: creating invitations (one by one or from a roster) and finding them."""

from __future__ import annotations

import functools
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session, joinedload

from partenariat.models import Campaign, Draft, Invitation, TokenMiss
from partenariat.models.timestamps import utcnow
from partenariat.services.problems import FileRejected, Problem, unreadable
from partenariat.statuses import InvitationStatus
from partenariat.tabular import TabularError, read_table
from partenariat.tokens import hash_token, new_token
from partenariat.validation import email_problem
from questionnaires import LANGUAGES, load_instrument

ROSTER_COLUMNS = ("label", "email", "sector", "language")


@dataclass(frozen=True)
class Invitee:
    label: str | None = None
    email: str | None = None
    sector: str | None = None
    language: str | None = None


def invite(session: Session, campaign: Campaign, invitees: list[Invitee]) -> list[tuple[Invitation, str]]:
    """Create one invitation per invitee; returns (invitation, clear token) pairs.

    The clear token exists only in the return value: show it once, it cannot be recovered.
    """
    created = []
    for invitee in invitees:
        token = new_token()
        invitation = Invitation(
            campaign_id=campaign.id,
            token_hash=hash_token(token),
            label=invitee.label,
            email=invitee.email,
            sector=invitee.sector,
            language=invitee.language,
        )
        session.add(invitation)
        created.append((invitation, token))
    session.flush()
    return created


MISS_WINDOW = timedelta(minutes=15)
MAX_MISSES_PER_IP = 30


class TooManyGuesses(Exception):
    pass


def _misses(ip: str):
    return (select(func.count()).where(TokenMiss.ip == ip, TokenMiss.at >= utcnow() - MISS_WINDOW)
            .scalar_subquery())


def find_by_token_for(session: Session, token: str, ip: str) -> Invitation | None:
    """find_by_token, counting wrong links per IP (in the database, so the limit holds
    across workers). A valid link always opens: partners behind one address (a community
    centre's network, a proxy) must never be locked out by someone else's typos. Past the
    limit, wrong links from that IP get TooManyGuesses instead of a plain miss; with 192-bit
    tokens guessing is hopeless anyway, the limit keeps the noise and the table small."""
    invitation = find_by_token(session, token)
    if invitation is None:
        count_miss(session, ip)
    return invitation


def count_miss(session: Session, ip: str) -> None:
    """A link from ``ip`` matched nothing: recorded, or TooManyGuesses past the limit. Every
    kind of token link (personal links, projects' proposal links) counts against one limit,
    so guessing cannot move from one kind to the other."""
    if session.scalar(select(_misses(ip))) >= MAX_MISSES_PER_IP:
        raise TooManyGuesses()
    _record_miss(session, ip)


def _record_miss(session: Session, ip: str) -> None:
    """In its own short transaction: the miss must count whatever the request does next
    (the page it leads to is an error page, whose request commits nothing)."""
    with session.get_bind().begin() as connection:
        connection.execute(insert(TokenMiss.__table__).values(ip=ip, at=utcnow()))


def plausible(token: str) -> bool:
    """Worth a look-up: tokens are 32 characters; anything empty or very long is not one."""
    return bool(token) and len(token) <= 64


# Every caller goes on to the campaign: fetched in the same query. Built once (every partner
# page and submission looks its link up): a statement built per call also had its cache key
# worked out anew each time, a fifth of a submission's work (T2). Built at its first use, not
# on import: the joinedload configures every mapper, which start-up (T4) need not wait for.
@functools.cache
def _find_statement():
    return select(Invitation).options(joinedload(Invitation.campaign)).where(Invitation.token_hash == bindparam("digest"))


def _find(session: Session, token: str) -> Invitation | None:
    digest = hash_token(token)
    row = session.execute(_find_statement(), {"digest": digest}).first()
    # The lookup is by hash already; the constant-time check guards against a future
    # change of lookup leaking timing on the stored value.
    if row is None or not hmac.compare_digest(row[0].token_hash, digest):
        return None
    return row[0]


def find_by_token(session: Session, token: str) -> Invitation | None:
    return _find(session, token) if plausible(token) else None


class LinkCampaign(NamedTuple):
    """The columns of a link's campaign that say whether and in which languages it answers,
    with the model's own rules applied to them (no ORM object is loaded)."""

    status: str
    opens_on: date | None
    closes_on: date | None
    languages: str
    instrument_version: str

    availability = Campaign.availability
    language_list = Campaign.language_list


class StartedLink(NamedTuple):
    """A link whose partner has started answering, with its campaign and its draft's data:
    what saving one click needs, written and read back in one statement
    (``draft.save_started``)."""

    invitation_id: int
    language: str | None
    campaign: LinkCampaign
    draft: dict

    has_submitted = False  # a started link, by construction


def base_url() -> str:
    """The site's address for links: the configured one, else the one of this request."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured
    if has_request_context():
        return request.url_root.rstrip("/")
    return "http://127.0.0.1:5000"


def personal_link(token: str) -> str:
    return f"{base_url()}/r/{token}"


def _plain(text: str) -> str:
    """Lower case without accents, so that "Libellé", "libelle" and "LIBELLÉ" read alike."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Header names a roster may use, French or English, read through _plain.
ROSTER_HEADERS = {
    "label": "label", "libelle": "label", "nom": "label", "name": "label",
    "email": "email", "e-mail": "email", "courriel": "email",
    "sector": "sector", "secteur": "sector",
    "language": "language", "langue": "language", "lang": "language",
}
LANGUAGE_WORDS = {"fr": "fr", "francais": "fr", "french": "fr", "en": "en", "anglais": "en", "english": "en"}


@cache
def _sector_words(version: str) -> dict[str, str]:
    """Each way to write a sector (its code, its French or English name, or the name's part
    before a parenthesis, read through _plain) → its code."""
    words = {}
    for code, name in load_instrument(version).sectors.items():
        for text in (code, name.fr, name.en):
            words[_plain(text)] = code
            words[_plain(text.split("(")[0])] = code
    return words


def parse_roster(data: bytes, filename: str) -> list[Invitee]:
    """Read a roster (label, email, sector, language — or libellé/nom, courriel, secteur,
    langue); French or English values; all or nothing. Problems name the column as the
    file writes it."""
    try:
        table = read_table(data, filename)
    except TabularError as error:
        raise unreadable(error) from None
    columns, problems = {}, []  # field → the file's own header
    for name in table.header:
        if not name:
            continue
        field = ROSTER_HEADERS.get(_plain(name))
        if field is None:
            problems.append(Problem(_("unknown column; expected %(columns)s.", columns=", ".join(ROSTER_COLUMNS)), column=name))
        elif field in columns:
            problems.append(Problem(_("this column says the same as the column %(other)s.", other=columns[field]), column=name))
        else:
            columns[field] = name
    if problems:
        raise FileRejected(problems)
    instrument = load_instrument()
    sectors = _sector_words(instrument.version)
    invitees = []
    for number, cells in table.rows:
        values = {field: cells.get(header, "") for field, header in columns.items()}
        sector = sectors.get(_plain(values.get("sector", "")), values.get("sector", "")) or None
        language = LANGUAGE_WORDS.get(_plain(values.get("language", "")), values.get("language", "")) or None
        email = values.get("email") or None
        if sector and sector not in instrument.sectors:
            problems.append(Problem(_("unknown sector %(value)r; use one of %(choices)s.", value=sector, choices=", ".join(instrument.sectors)), row=number, column=columns["sector"]))
        if language and language not in LANGUAGES:
            problems.append(Problem(_("language must be fr or en."), row=number, column=columns["language"]))
        if email and (problem := email_problem(email)):
            problems.append(Problem(problem, row=number, column=columns["email"]))
        label = values.get("label") or None
        if label and len(label) > 200:
            problems.append(Problem(_("the label is longer than 200 characters."), row=number, column=columns["label"]))
        invitees.append(Invitee(label, email, sector, language))
    if problems:
        raise FileRejected(problems)
    if not invitees:
        raise FileRejected([Problem(_("The roster has no partner rows."))])
    return invitees


def new_link_on_screen(session: Session, invitation: Invitation) -> str:
    """A new link for the coordinator to see and pass on. The old link stops working and
    its draft is deleted: whoever sees this link (the coordinator first of all) must not be
    able to open the partner's saved answers (docs/privacy.md, "Drafts belong to the partner")."""
    if invitation.has_submitted:
        raise LinkNotRenewable()
    token = new_token()
    invitation.token_hash = hash_token(token)
    session.execute(delete(Draft).where(Draft.invitation_id == invitation.id))
    invitation.status = InvitationStatus.INVITED
    session.flush()
    return token


def planned_token() -> tuple[str, str]:
    """(token, hash) of a link that will replace an invitation's once its e-mail has gone:
    ``apply_planned_token`` after sending, so that a failed e-mail leaves the old link working."""
    token = new_token()
    return token, hash_token(token)


def apply_planned_token(invitation: Invitation, token_hash: str) -> None:
    """The e-mailed link replaces the old one; the draft is kept, because the link went
    straight to the partner's address and was never displayed."""
    invitation.token_hash = token_hash


class LinkNotRenewable(Exception):
    pass


def copy_partners(session: Session, source: Campaign, target: Campaign) -> int:
    """Invite the partners of ``source`` (their label, e-mail, sector, language) to ``target``.
    Nothing of their answers or links travels: each gets a new link, to be e-mailed or shown
    from the campaign page."""
    if source.partnership_id != target.partnership_id:
        raise LinkNotRenewable()
    partners = session.scalars(select(Invitation).where(Invitation.campaign_id == source.id).order_by(Invitation.id)).all()
    invite(session, target, [Invitee(p.label, p.email, p.sector, p.language) for p in partners])
    return len(partners)


def new_links_for_everyone_pending(session: Session, campaign: Campaign) -> list[tuple[Invitation, str]]:
    """A new link, to show or download, for every partner who has not sent: like any link shown
    to the coordinator, each starts an empty questionnaire (docs/privacy.md)."""
    pending = session.scalars(select(Invitation).where(
        Invitation.campaign_id == campaign.id, Invitation.status != InvitationStatus.SUBMITTED).order_by(Invitation.id)).all()
    return [(invitation, new_link_on_screen(session, invitation)) for invitation in pending]
