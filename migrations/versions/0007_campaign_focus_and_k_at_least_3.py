"""campaign focus (discussion points) and k at least 3

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 17:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Campaigns made with k below 3 get k = 3: fewer than 3 responses are never shown.
    op.execute("UPDATE campaign SET k = 3 WHERE k < 3")
    with op.batch_alter_table('campaign') as batch_op:
        batch_op.add_column(sa.Column('focus', sa.Integer(), nullable=False, server_default='6'))
        batch_op.create_check_constraint('k_at_least_3', 'k >= 3')
        batch_op.create_check_constraint('focus_between_1_and_12', 'focus BETWEEN 1 AND 12')


def downgrade() -> None:
    with op.batch_alter_table('campaign') as batch_op:
        batch_op.drop_constraint(op.f('ck_campaign_focus_between_1_and_12'), type_='check')
        batch_op.drop_constraint(op.f('ck_campaign_k_at_least_3'), type_='check')
        batch_op.drop_column('focus')
