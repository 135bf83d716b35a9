"""token misses, to rate-limit link guessing

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 00:40:18.079774
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('token_miss',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_token_miss'))
    )
    with op.batch_alter_table('token_miss', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_token_miss_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_token_miss_ip'), ['ip'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('token_miss', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_token_miss_ip'))
        batch_op.drop_index(batch_op.f('ix_token_miss_at'))

    op.drop_table('token_miss')
