"""Accounts: creation with a one-time set-password link, sign-in with failure limits."""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from partenariat.models import LoginAttempt, PartnershipAccess, User
from partenariat.models.timestamps import utcnow
from partenariat.roles import Role
from partenariat.services.campaign import get_or_create_partnership
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


def create_user(session: Session, email: str, role: str, partnership_names: list[str] = ()) -> tuple[User, str]:
    """Create (or re-invite) an account; returns it with a one-time set-password token."""
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        raise AccountError(problem)
    if role not in tuple(Role):
        raise AccountError(_("The role must be admin, coordinator or funder."))
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


def user_for_reset_token(session: Session, token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    user = session.scalar(select(User).where(User.reset_token_hash == hash_token(token)))
    if user is None or user.reset_expires_at is None or user.reset_expires_at < utcnow():
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
