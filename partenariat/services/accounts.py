"""Accounts: creation with a one-time set-password link, sign-in with a failure limit."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from partenariat.models import LoginAttempt, PartnershipAccess, User
from partenariat.models.timestamps import utcnow
from partenariat.roles import Role
from partenariat.services.campaign import get_or_create_partnership
from partenariat.tokens import hash_token, new_token
from partenariat.validation import email_problem, normalise_email

RESET_VALID = timedelta(days=7)
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_IP = 30


class AccountError(ValueError):
    pass


class TooManyAttempts(Exception):
    pass


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


def authenticate(session: Session, email: str, password: str, ip: str) -> User | None:
    """The active user with these credentials, or None. Raises TooManyAttempts when the
    address or the IP has failed too often lately — checked before the password, so that
    guessing gains nothing once the limit is reached."""
    email = normalise_email(email)
    since = utcnow() - WINDOW
    by_email = session.scalar(select(func.count()).where(LoginAttempt.email == email, LoginAttempt.at >= since))
    by_ip = session.scalar(select(func.count()).where(LoginAttempt.ip == ip, LoginAttempt.at >= since))
    if by_email >= MAX_FAILURES_PER_EMAIL or by_ip >= MAX_FAILURES_PER_IP:
        raise TooManyAttempts()
    user = session.scalar(select(User).where(User.email == email))
    if user is not None and user.active and user.check_password(password):
        session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
        session.commit()
        return user
    session.add(LoginAttempt(email=email, ip=ip))
    session.commit()
    return None


def partnership_ids(session: Session, user: User) -> set[int] | None:
    """Partnerships the user may see; None means all (admin)."""
    if user.role == "admin":
        return None
    return set(session.scalars(select(PartnershipAccess.partnership_id).where(PartnershipAccess.user_id == user.id)))
