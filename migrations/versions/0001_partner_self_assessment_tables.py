"""partner self-assessment tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 00:01:34.033189
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partnership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership')),
    sa.UniqueConstraint('name', name=op.f('uq_partnership_name'))
    )
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('k', sa.Integer(), nullable=False),
    sa.Column('instrument_version', sa.String(length=20), nullable=False),
    sa.Column('languages', sa.String(length=20), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('shared_with_funders', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_campaign_partnership_id_partnership')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('sector', sa.String(length=20), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_invitation_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('response',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_response_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response'))
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('answer',
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('item_code', sa.String(length=12), nullable=False),
    sa.Column('value', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_answer_response_id_response')),
    sa.PrimaryKeyConstraint('response_id', 'item_code', name=op.f('pk_answer'))
    )
    op.create_table('controversy_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.String(length=32), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('nature', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('means', sa.JSON(), nullable=False),
    sa.Column('effect', sa.String(length=20), nullable=True),
    sa.Column('review_status', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_controversy_report_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_controversy_report_response_id_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_controversy_report'))
    )
    with op.batch_alter_table('controversy_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_controversy_report_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_controversy_report_response_id'), ['response_id'], unique=False)

    op.create_table('draft',
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_draft_invitation_id_invitation')),
    sa.PrimaryKeyConstraint('invitation_id', name=op.f('pk_draft'))
    )


def downgrade() -> None:
    op.drop_table('draft')
    with op.batch_alter_table('controversy_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_controversy_report_response_id'))
        batch_op.drop_index(batch_op.f('ix_controversy_report_campaign_id'))

    op.drop_table('controversy_report')
    op.drop_table('answer')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_campaign_id'))

    op.drop_table('response')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_campaign_id'))

    op.drop_table('invitation')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_partnership_id'))

    op.drop_table('campaign')
    op.drop_table('partnership')
