"""controversy register with a status per campaign

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 00:21:18.893050
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('controversy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('nature', sa.String(length=20), nullable=True),
    sa.Column('means', sa.JSON(), nullable=False),
    sa.Column('effect', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_controversy_partnership_id_partnership')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_controversy'))
    )
    with op.batch_alter_table('controversy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_controversy_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('controversy_status',
    sa.Column('controversy_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_controversy_status_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['controversy_id'], ['controversy.id'], name=op.f('fk_controversy_status_controversy_id_controversy')),
    sa.PrimaryKeyConstraint('controversy_id', 'campaign_id', name=op.f('pk_controversy_status'))
    )
    with op.batch_alter_table('controversy_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('controversy_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_controversy_report_controversy_id'), ['controversy_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_controversy_report_controversy_id_controversy'), 'controversy', ['controversy_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('controversy_report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_controversy_report_controversy_id_controversy'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_controversy_report_controversy_id'))
        batch_op.drop_column('controversy_id')

    op.drop_table('controversy_status')
    with op.batch_alter_table('controversy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_controversy_partnership_id'))

    op.drop_table('controversy')
