"""timeline workshop: snapshots, grid answers, partners' event proposals (docs/timeline.md)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 19:40:00

New tables only; nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# Frozen copies of the models' checks: a migration must not change when the code does.
RT_CHECK = ("rt IN ('RT01', 'RT02', 'RT03', 'RT04', 'RT05', 'RT06', 'RT07', 'RT08', 'RT09', 'RT10', 'RT11', "
            "'RT12')")


def _project_fk(table: str):
    return sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f(f'fk_{table}_project_id_project'),
                                   ondelete='CASCADE')


def _index(table: str, *columns: str, unique: bool = False) -> None:
    with op.batch_alter_table(table) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=unique)


def upgrade() -> None:
    op.create_table('timeline_snapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('taken_at', sa.DateTime(), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        _project_fk('timeline_snapshot'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_snapshot')),
    )
    _index('timeline_snapshot', 'project_id')

    op.create_table('grid_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('question_code', sa.String(length=20), nullable=False),
        sa.Column('moment', sa.String(length=7), nullable=False),
        sa.Column('lesson', sa.Text(), nullable=False),
        sa.Column('avenue', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("moment IN ('back', 'forward')", name=op.f('ck_grid_answer_moment')),
        _project_fk('grid_answer'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_answer')),
        sa.UniqueConstraint('project_id', 'question_code', 'moment', name='uq_grid_answer_project_question_moment'),
    )
    _index('grid_answer', 'project_id')

    op.create_table('proposal_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _project_fk('proposal_link'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_link')),
        sa.UniqueConstraint('project_id', name=op.f('uq_proposal_link_project_id')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_proposal_link_token_hash')),
    )

    op.create_table('event_proposal',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('date_precision', sa.String(length=5), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('rt', sa.String(length=4), nullable=True),
        sa.Column('review_status', sa.String(length=9), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(f"rt IS NULL OR {RT_CHECK}", name=op.f('ck_event_proposal_rt_code')),
        sa.CheckConstraint("date_precision IN ('day', 'month', 'year')",
                           name=op.f('ck_event_proposal_date_precision')),
        sa.CheckConstraint("review_status IN ('pending', 'accepted', 'merged', 'dismissed')",
                           name=op.f('ck_event_proposal_review_status')),
        _project_fk('event_proposal'),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_proposal_event_id_event'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_proposal')),
        sqlite_with_rowid=False,
    )
    _index('event_proposal', 'project_id', 'event_id')


def downgrade() -> None:
    for table in ('event_proposal', 'proposal_link', 'grid_answer', 'timeline_snapshot'):
        op.drop_table(table)
