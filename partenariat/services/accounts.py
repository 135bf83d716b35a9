"""Accounts: creation with a one-time set-password link, sign-in with failure limits, and what an
administrator does to accounts (disable, enable, re-invite, link to partnerships), each audited."""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from partenariat.models import LoginAttempt, Partnership, PartnershipAccess, User
from partenariat.models.timestamps import utcnow
from partenariat.roles import Role
from partenariat.services import audit
from partenariat.services.campaign import CampaignError, get_or_create_partnership
from partenariat.services.invitation import base_url
from partenariat.tokens import hash_token, new_token
from partenariat.validation import email_problem, normalise_email

RESET_VALID = timedelta(days=7)
# Sign-in limits, over the failures of the last WINDOW. An address that fails often from
# one place is stopped there only, so a stranger cannot lock an account's owner out; across
# all places, an account under attack is slowed rather than locked: its owner still gets in,
# and a password spray from many addresses gets two tries a minute.
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_PAIR = 5  # one e-mail address from one IP
MAX_FAILURES_PER_IP = 30  # any addresses from one IP
SLOW_AFTER_FAILURES = 10  # one e-mail address from all IPs
SLOW_INTERVAL = timedelta(seconds=30)


class AccountError(ValueError):
    pass


class TooManyAttempts(Exception):
    """Refused before the password is checked. ``limit`` is "pair" (this address from this
    IP), "ip" (this IP) or "account" (this address, slowed); ``retry_after`` in seconds."""

    def __init__(self, limit: str, retry_after: int):
        super().__init__(limit, retry_after)
        self.limit = limit
        self.retry_after = retry_after


def issue_reset_token(user: User) -> str:
    token = new_token()
    user.reset_token_hash = hash_token(token)
    user.reset_expires_at = utcnow() + RESET_VALID
    return token


def set_password_link(token: str) -> str:
    return f"{base_url()}/account/set-password/{token}"


def _checked(email: str, role: str) -> str:
    """The normalised address, once the address and the role are valid."""
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        raise AccountError(problem)
    if role not in tuple(Role):
        raise AccountError(_("The role must be admin, coordinator or funder."))
    return email


def find_account(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(session: Session, email: str, role: str, partnership_names: list[str] = ()) -> tuple[User, str]:
    """Build an account (or give an existing one a new link), unaudited: for seeds and test
    data. What a person does goes through ``create_account`` and ``reinvite``, which log it."""
    email = _checked(email, role)
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, role=role)
        session.add(user)
    elif user.role != role:
        raise AccountError(_("%(email)s already has the role %(role)s.", email=email, role=user.role))
    session.flush()
    for name in partnership_names:
        partnership = get_or_create_partnership(session, name)
        if session.get(PartnershipAccess, (user.id, partnership.id)) is None:
            session.add(PartnershipAccess(user_id=user.id, partnership_id=partnership.id))
    token = issue_reset_token(user)
    session.flush()
    return user, token


def create_account(session: Session, email: str, role: str, partnership_ids=(), funds_all: bool = False,
                   new_partnership: str | None = None) -> tuple[User, str]:
    """A new account linked to these partnerships, and to ``new_partnership`` (a name, made
    if no partnership has it yet: on a fresh install the administrator has none to tick);
    returns it with its one-time set-password token (show it once: only its hash is kept)."""
    email = _checked(email, role)
    if find_account(session, email) is not None:
        raise AccountError(_("%(email)s already has an account: open it to send a new link.", email=email))
    chosen = _checked_access(session, role, partnership_ids, funds_all)
    if new_partnership and new_partnership.strip():
        # Checked above first: a refused account leaves no new partnership behind.
        if role == Role.ADMIN:
            raise AccountError(_("An administrator sees every partnership: there is nothing to link."))
        try:
            made = get_or_create_partnership(session, new_partnership)
        except CampaignError as error:
            raise AccountError(str(error)) from error
        chosen = sorted({*chosen, made.id})
    user = User(email=email, role=role, funds_all=funds_all)
    session.add(user)
    session.flush()
    session.add_all(PartnershipAccess(user_id=user.id, partnership_id=ident) for ident in chosen)
    token = issue_reset_token(user)
    audit.record(session, "account_created", email=email, role=str(role), partnerships=chosen, all=funds_all)
    session.flush()
    return user, token


def create_or_reinvite(session: Session, email: str, role: str, partnership_names=()) -> tuple[User, str, bool]:
    """The command line's create-user: a new account (its partnerships created if new), or a
    new link for an existing one, which also gains the partnerships named; that is the way
    back in for an administrator who lost their link. Returns (account, token, created)."""
    ids = [get_or_create_partnership(session, name).id for name in partnership_names]
    user = find_account(session, _checked(email, role))
    if user is None:
        user, token = create_account(session, email, role, ids)
        return user, token, True
    if user.role != role:
        raise AccountError(_("%(email)s already has the role %(role)s.", email=user.email, role=user.role))
    if ids:
        set_access(session, user, [*linked_partnership_ids(session, user), *ids], bool(user.funds_all))
    return user, reinvite(session, user), False


def reinvite(session: Session, user: User) -> str:
    """A new one-time set-password link; the previous one stops working. The password, if
    any, keeps working until its owner sets a new one."""
    if not user.active:
        raise AccountError(_("This account is disabled: enable it before sending a new link."))
    token = issue_reset_token(user)
    audit.record(session, "account_reinvited", email=user.email)
    session.flush()
    return token


def disable(session: Session, user: User, by: User | None) -> None:
    """The account can no longer sign in, and its open sessions end at once (the session id
    carries ``session_version``). ``by`` is the administrator doing it (None: the command line)."""
    if not user.active:
        return
    if by is not None and by.id == user.id:
        raise AccountError(_("You cannot disable your own account."))
    if user.role == Role.ADMIN:
        # Locked on PostgreSQL, so that two administrators disabling each other at the same
        # moment cannot leave nobody able to manage accounts.
        admins = session.scalars(select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
                                 .with_for_update()).all()
        if set(admins) <= {user.id}:
            raise AccountError(_("This is the last active administrator: create or enable another one first."))
    user.active = False
    user.session_version = (user.session_version or 0) + 1
    # A pending set-password link must not let the account back in.
    user.reset_token_hash = None
    user.reset_expires_at = None
    audit.record(session, "account_disabled", email=user.email)
    session.flush()


def enable(session: Session, user: User) -> None:
    """The account can sign in again with its password (or a new link)."""
    if user.active:
        return
    user.active = True
    audit.record(session, "account_enabled", email=user.email)
    session.flush()


def linked_partnership_ids(session: Session, user: User) -> list[int]:
    return sorted(session.scalars(select(PartnershipAccess.partnership_id).where(PartnershipAccess.user_id == user.id)))


def _checked_access(session: Session, role: str, partnership_ids, funds_all: bool) -> list[int]:
    """The sorted partnership ids, once they exist and suit the role: an administrator sees
    every partnership already, and only a funder can be linked to all of them at once."""
    chosen = sorted(set(partnership_ids))
    if role == Role.ADMIN and (chosen or funds_all):
        raise AccountError(_("An administrator sees every partnership: there is nothing to link."))
    if funds_all and role != Role.FUNDER:
        raise AccountError(_("Only a funder can be linked to every partnership."))
    known = set(session.scalars(select(Partnership.id).where(Partnership.id.in_(chosen)))) if chosen else set()
    if known != set(chosen):
        raise AccountError(_("A chosen partnership does not exist (any more)."))
    return chosen


def set_access(session: Session, user: User, partnership_ids, funds_all: bool = False) -> bool:
    """Link the account to exactly these partnerships (a funder: or to every one). Returns
    whether anything changed; only a change is logged."""
    chosen = _checked_access(session, user.role, partnership_ids, funds_all)
    if chosen == linked_partnership_ids(session, user) and bool(user.funds_all) == funds_all:
        return False
    user.funds_all = funds_all
    session.execute(delete(PartnershipAccess).where(PartnershipAccess.user_id == user.id))
    session.add_all(PartnershipAccess(user_id=user.id, partnership_id=ident) for ident in chosen)
    audit.record(session, "access_changed", email=user.email, role=str(user.role), partnerships=chosen, all=funds_all)
    session.flush()
    return True


def user_for_reset_token(session: Session, token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    user = session.scalar(select(User).where(User.reset_token_hash == hash_token(token)))
    if user is None or not user.active or user.reset_expires_at is None or user.reset_expires_at < utcnow():
        return None
    return user


@cache
def _dummy_hash() -> str:
    """A hash of nothing anyone knows, made once per process, to check passwords against when
    no account can sign in with the address: both answers then cost the same hashing time,
    so timing does not tell which addresses have accounts."""
    return generate_password_hash(secrets.token_urlsafe(32))


def _nth_latest_failure(connection, since: datetime, n: int, *conditions) -> datetime | None:
    """The time of the n-th most recent failure since ``since`` matching ``conditions``, or
    None if there are fewer than n: when it exists the limit n is reached, and it lasts until
    that failure leaves the window."""
    return connection.scalar(
        select(LoginAttempt.at).where(*conditions, LoginAttempt.at >= since)
        .order_by(LoginAttempt.at.desc()).offset(n - 1).limit(1)
    )


def _check_limits(connection, email: str, ip: str) -> None:
    now = utcnow()
    since = now - WINDOW

    def seconds_until(moment: datetime) -> int:
        return max(1, math.ceil((moment - now).total_seconds()))

    for limit, n, conditions in (
        ("ip", MAX_FAILURES_PER_IP, (LoginAttempt.ip == ip,)),
        ("pair", MAX_FAILURES_PER_PAIR, (LoginAttempt.email == email, LoginAttempt.ip == ip)),
    ):
        reached = _nth_latest_failure(connection, since, n, *conditions)
        if reached is not None:
            raise TooManyAttempts(limit, seconds_until(reached + WINDOW))
    if _nth_latest_failure(connection, since, SLOW_AFTER_FAILURES, LoginAttempt.email == email) is not None:
        latest = _nth_latest_failure(connection, since, 1, LoginAttempt.email == email)
        if now - latest < SLOW_INTERVAL:
            raise TooManyAttempts("account", seconds_until(latest + SLOW_INTERVAL))


def authenticate(session: Session, email: str, password: str, ip: str) -> User | None:
    """The active user with these credentials, or None. Raises TooManyAttempts when a limit
    is reached — checked before the password, so that guessing gains nothing then.

    Each attempt is first written down as a failure, in its own short transaction, and struck
    out only once the password is right: nothing the request does later (a rollback, a crash
    during the hashing) can undo a failure, and attempts sent in parallel see each other."""
    email, ip = normalise_email(email)[:254], ip[:64]
    with session.get_bind().begin() as connection:
        _check_limits(connection, email, ip)
        connection.execute(insert(LoginAttempt).values(email=email, ip=ip, at=utcnow()))
        # Failures older than the window count for nothing: a spray does not fill the table.
        connection.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - WINDOW))
    user = session.scalar(select(User).where(User.email == email))
    if user is None or not user.active or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password):
        return None
    # This attempt and the owner's own earlier slips from this place are forgiven; failures
    # from elsewhere stay, so an attack on the account stays slowed.
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.ip == ip))
    return user
