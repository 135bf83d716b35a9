from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from partenariat.database import Base
from partenariat.models.timestamps import utcnow
from partenariat.roles import Permission, Role, has_permission
from partenariat.statuses import status_column


class User(Base):
    """An account: admin, coordinator (of some partnerships) or funder. Partners have none."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[Role] = mapped_column(status_column(Role, "role"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # A funder linked to every partnership (instead of a list in partnership_access).
    funds_all: Mapped[bool] = mapped_column(default=False)
    # Bumped when the password changes, so that every other signed-in session ends.
    session_version: Mapped[int] = mapped_column(default=0)
    # One-time set-password link (hashed, like partners' tokens).
    reset_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    reset_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Flask-Login protocol
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def can(self, permission: Permission) -> bool:
        return self.active and has_permission(self.role, permission)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt, a current memory-hard algorithm.
        self.password_hash = generate_password_hash(password)
        self.session_version = (self.session_version or 0) + 1
        self.reset_token_hash = None
        self.reset_expires_at = None

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)
