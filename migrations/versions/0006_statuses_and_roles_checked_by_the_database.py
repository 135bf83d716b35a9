"""statuses and roles checked by the database

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:20:00
"""

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# (table, constraint name, column, allowed values): the StrEnums of partenariat/statuses.py
# and partenariat/roles.py as they were when this revision was written.
CHECKS = [
    ("campaign", "status", "status", ("draft", "open", "closed")),
    ("invitation", "status", "status", ("invited", "started", "submitted")),
    ("response", "source", "source", ("web", "import")),
    ("controversy_report", "review_status", "review_status", ("pending", "accepted", "merged", "dismissed")),
    ("user_account", "role", "role", ("admin", "coordinator", "funder")),
]


def upgrade() -> None:
    for table, name, column, values in CHECKS:
        allowed = ", ".join(f"'{v}'" for v in values)
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_check_constraint(name, f"{column} IN ({allowed})")


def downgrade() -> None:
    for table, name, _column, _values in reversed(CHECKS):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
