"""timelines: project, event, effect, event_link (SPEC §8, docs/timeline.md)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:40:00

New tables only; nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Frozen copies of the models' checks: a migration must not change when the code does.
PRECISIONS = "('day', 'month', 'year')"
RT_CHECK = ("rt IN ('RT01', 'RT02', 'RT03', 'RT04', 'RT05', 'RT06', 'RT07', 'RT08', 'RT09', 'RT10', 'RT11', "
            "'RT12')")
SETBACK_CHECK = "kind = 'resultat' OR rt IN ('RT09', 'RT10', 'RT11', 'RT12')"


def _timestamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False)]


def _precision(table: str, column: str, nullable: bool = False):
    return [sa.Column(column, sa.String(length=5), nullable=nullable),
            sa.CheckConstraint(f"{column} IN {PRECISIONS}", name=op.f(f'ck_{table}_{column}'))]


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def upgrade() -> None:
    op.create_table('project',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partnership_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=True),
        *_precision('project', 'start_precision', nullable=True),
        sa.Column('end_date', sa.Date(), nullable=True),
        *_precision('project', 'end_precision', nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_project_partnership_id_partnership')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
        sa.UniqueConstraint('partnership_id', 'title', name='uq_project_partnership_title'),
    )
    _indexes('project', 'partnership_id')

    op.create_table('event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('ref', sa.String(length=100), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        *_precision('event', 'date_precision'),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('actors', sa.Text(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('rt', sa.String(length=4), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=7), nullable=False),
        sa.Column('controversy_id', sa.Integer(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(RT_CHECK, name=op.f('ck_event_rt_code')),
        sa.CheckConstraint(SETBACK_CHECK, name=op.f('ck_event_setback_only_on_rt09_to_rt12')),
        sa.CheckConstraint("kind IN ('resultat', 'revers')", name=op.f('ck_event_kind')),
        sa.CheckConstraint("status IN ('realise', 'prevu')", name=op.f('ck_event_status')),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_event_project_id_project'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['controversy_id'], ['controversy.id'],
                                name=op.f('fk_event_controversy_id_controversy'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
        sa.UniqueConstraint('project_id', 'ref', name='uq_event_project_ref'),
    )
    _indexes('event', 'project_id', 'controversy_id')

    op.create_table('effect',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('ref', sa.String(length=100), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        *_precision('effect', 'date_precision'),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_effect_project_id_project'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_effect')),
        sa.UniqueConstraint('project_id', 'ref', name='uq_effect_project_ref'),
    )
    _indexes('effect', 'project_id')

    op.create_table('event_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('source_event_id', sa.Integer(), nullable=False),
        sa.Column('target_event_id', sa.Integer(), nullable=True),
        sa.Column('target_effect_id', sa.Integer(), nullable=True),
        sa.Column('rationale', sa.Text(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("(target_event_id IS NULL) <> (target_effect_id IS NULL)",
                           name=op.f('ck_event_link_one_target')),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_event_link_project_id_project'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['source_event_id'], ['event.id'], name=op.f('fk_event_link_source_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['target_event_id'], ['event.id'], name=op.f('fk_event_link_target_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['target_effect_id'], ['effect.id'],
                                name=op.f('fk_event_link_target_effect_id_effect'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_link')),
        sa.UniqueConstraint('source_event_id', 'target_event_id', name='uq_event_link_source_target_event'),
        sa.UniqueConstraint('source_event_id', 'target_effect_id', name='uq_event_link_source_target_effect'),
    )
    _indexes('event_link', 'project_id', 'source_event_id', 'target_event_id', 'target_effect_id')


def downgrade() -> None:
    for table in ('event_link', 'effect', 'event', 'project'):
        op.drop_table(table)
