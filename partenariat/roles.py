"""Who may do what: the roles of accounts and the permissions each role carries.

This is the only place that knows which role may do what. Blueprints ask for a permission
(``access.guard``), templates ask ``current_user.can(...)``; adding a role means adding it
here (and to the database CHECK constraint's migration).
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    FUNDER = "funder"


class Permission(StrEnum):
    # Campaigns, portraits, the controversy register of the partnerships one works with.
    COORDINATE = "coordinate"
    # The funder dashboard and workbook (aggregates of shared campaigns only).
    READ_FUNDER_DATA = "read_funder_data"
    # Accounts, funder access, the audit log.
    ADMINISTER = "administer"
    # Every partnership, not only those linked to the account.
    SEE_EVERY_PARTNERSHIP = "see_every_partnership"


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COORDINATOR: frozenset({Permission.COORDINATE}),
    Role.FUNDER: frozenset({Permission.READ_FUNDER_DATA}),
}

LABELS = {
    Role.ADMIN: _l("administrator"),
    Role.COORDINATOR: _l("coordinator"),
    Role.FUNDER: _l("funder"),
}


def has_permission(role: str | None, permission: Permission) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
