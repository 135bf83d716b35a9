"""retreats and action plans: retreat, reading, action, action_target, action_note (SPEC §9)

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 19:40:00

New tables only; nothing existing changes. (Written beside another branch's 0010: the
merge re-chains it onto that revision.)
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None

# Frozen copies of the models' checks: a migration must not change when the code does.
STATUSES = "('prevue', 'en_cours', 'realisee', 'reportee', 'abandonnee')"
EXPECTED_RT_CHECK = ("expected_rt IN ('RT01', 'RT02', 'RT03', 'RT04', 'RT05', 'RT06', 'RT07', 'RT08', 'RT09', "
                     "'RT10', 'RT11', 'RT12')")
TARGET_CHECK = ("(kind = 'controversy' AND controversy_id IS NOT NULL AND code IS NULL) OR "
                "(kind <> 'controversy' AND controversy_id IS NULL AND code IS NOT NULL)")


def _timestamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False)]


def _indexes(table: str, *columns: str, unique: bool = False) -> None:
    with op.batch_alter_table(table) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=unique)


def upgrade() -> None:
    op.create_table('retreat',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('release_number', sa.Integer(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=True),
        sa.Column('method', sa.String(length=21), nullable=False),
        sa.Column('participants', sa.Text(), nullable=False),
        sa.Column('decisions', sa.Text(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("method IN ('consensus', 'individual_then_group', 'compiled')",
                           name=op.f('ck_retreat_method')),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_retreat_campaign_id_campaign')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_retreat')),
        sa.UniqueConstraint('campaign_id', name=op.f('uq_retreat_campaign_id')),
    )

    op.create_table('reading',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('retreat_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('dimension', sa.String(length=20), nullable=False),
        sa.Column('items', sa.String(length=200), nullable=False),
        sa.Column('consensus', sa.String(length=1), nullable=True),
        sa.Column('reasons', sa.Text(), nullable=False),
        sa.Column('dissent', sa.Text(), nullable=False),
        sa.Column('to_work_on', sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("consensus IN ('A', 'B', 'C')", name=op.f('ck_reading_consensus_value')),
        sa.ForeignKeyConstraint(['retreat_id'], ['retreat.id'], name=op.f('fk_reading_retreat_id_retreat'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reading')),
        sa.UniqueConstraint('retreat_id', 'position', name='uq_reading_retreat_position'),
    )
    _indexes('reading', 'retreat_id')

    op.create_table('action',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('retreat_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('priority', sa.Boolean(), nullable=False),
        sa.Column('expected_rt', sa.String(length=4), nullable=True),
        sa.Column('lead', sa.String(length=300), nullable=False),
        sa.Column('start_on', sa.Date(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('how_we_will_know', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('carried_from_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(EXPECTED_RT_CHECK, name=op.f('ck_action_expected_rt_code')),
        sa.CheckConstraint("start_on IS NULL OR due_on IS NULL OR start_on <= due_on",
                           name=op.f('ck_action_start_before_due')),
        sa.CheckConstraint(f"status IN {STATUSES}", name=op.f('ck_action_status')),
        sa.ForeignKeyConstraint(['retreat_id'], ['retreat.id'], name=op.f('fk_action_retreat_id_retreat'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['carried_from_id'], ['action.id'], name=op.f('fk_action_carried_from_id_action'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_action_event_id_event'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action')),
        sa.UniqueConstraint('retreat_id', 'carried_from_id', name='uq_action_retreat_carried_from'),
    )
    _indexes('action', 'retreat_id', 'carried_from_id', 'event_id')

    op.create_table('action_target',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=11), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=True),
        sa.Column('controversy_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(TARGET_CHECK, name=op.f('ck_action_target_code_or_controversy')),
        sa.CheckConstraint("kind IN ('item', 'dimension', 'rt', 'controversy')", name=op.f('ck_action_target_kind')),
        sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_target_action_id_action'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['controversy_id'], ['controversy.id'],
                                name=op.f('fk_action_target_controversy_id_controversy'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_target')),
    )
    _indexes('action_target', 'action_id', 'controversy_id')

    op.create_table('action_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('noted_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(f"status IN {STATUSES}", name=op.f('ck_action_note_status')),
        sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_note_action_id_action'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_note')),
    )
    _indexes('action_note', 'action_id')


def downgrade() -> None:
    for table in ('action_note', 'action_target', 'action', 'reading', 'retreat'):
        op.drop_table(table)
