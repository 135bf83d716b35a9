"""releases: every result from a frozen set of responses; reports and responses unlinkable

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 17:45:00

- release table; response.release_number (NULL while a response waits for a release);
- controversy_report: random string ids, no response_id, release_number;
- invitation.submitted_at dropped (only *that* a link submitted is kept);
- on SQLite, response, answer and controversy_report become WITHOUT ROWID tables, so rows are
  stored in the order of their random keys, not of submission.

Existing data: a campaign whose responses already met the release rules gets release 1 with
all of them (they were already shown), and its reports come with it.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

REPORT_COLUMNS = ("campaign_id", "title", "description", "nature", "status", "means", "effect", "review_status",
                  "controversy_id")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _report_table(id_type, with_response: bool, with_release: bool):
    columns = [
        sa.Column('id', id_type, nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
    ]
    if with_response:
        columns.append(sa.Column('response_id', sa.String(length=32), nullable=True))
    if with_release:
        columns.append(sa.Column('release_number', sa.Integer(), nullable=True))
    columns += [
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('nature', sa.String(length=20), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=True),
        sa.Column('means', sa.JSON(), nullable=False),
        sa.Column('effect', sa.String(length=20), nullable=True),
        sa.Column('review_status', sa.String(length=9), nullable=False),
        sa.Column('controversy_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("review_status IN ('pending', 'accepted', 'merged', 'dismissed')",
                           name=op.f('ck_controversy_report_review_status')),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_controversy_report_campaign_id_campaign')),
        sa.ForeignKeyConstraint(['controversy_id'], ['controversy.id'],
                                name=op.f('fk_controversy_report_controversy_id_controversy')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_controversy_report')),
    ]
    if with_response:
        columns.append(sa.ForeignKeyConstraint(['response_id'], ['response.id'],
                                               name=op.f('fk_controversy_report_response_id_response')))
    kwargs = {"sqlite_with_rowid": False} if with_release else {}
    op.create_table('controversy_report', *columns, **kwargs)
    with op.batch_alter_table('controversy_report') as batch_op:
        batch_op.create_index(batch_op.f('ix_controversy_report_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_controversy_report_controversy_id'), ['controversy_id'], unique=False)
        if with_response:
            batch_op.create_index(batch_op.f('ix_controversy_report_response_id'), ['response_id'], unique=False)


def _rebuild_reports(id_type, with_response: bool, with_release: bool, new_id, released=()):
    """Reports are few: read them, drop the table, create it anew, write them back."""
    bind = op.get_bind()
    old = sa.table('controversy_report', *(sa.column(c) for c in ("id", *REPORT_COLUMNS)))
    rows = [dict(row._mapping) for row in bind.execute(sa.select(old))]
    op.drop_table('controversy_report')
    _report_table(id_type, with_response, with_release)
    new_columns = ["id", *REPORT_COLUMNS] + (["release_number"] if with_release else [])
    new = sa.table('controversy_report', *(sa.column(c) for c in new_columns))
    for number, row in enumerate(rows, start=1):
        row["id"] = new_id(number)
        if with_release:
            row["release_number"] = 1 if row["campaign_id"] in released else None
        bind.execute(sa.insert(new).values(**row))


def _released_campaigns(bind) -> set[int]:
    """Campaigns whose responses meet the release rules (k, and 0 or ≥ k through links)."""
    rows = bind.execute(sa.text(
        "SELECT c.id, c.k, SUM(CASE WHEN r.source = 'web' THEN 1 ELSE 0 END), COUNT(r.id) "
        "FROM campaign c JOIN response r ON r.campaign_id = c.id GROUP BY c.id, c.k")).all()
    return {cid for cid, k, link, total in rows if total >= k and (link == 0 or link >= k)}


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table('release',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('n_link', sa.Integer(), nullable=False),
        sa.Column('n_entered', sa.Integer(), nullable=False),
        sa.Column('final', sa.Boolean(), nullable=False),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.Column('groups', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_release_campaign_id_campaign')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_release')),
        sa.UniqueConstraint('campaign_id', 'number', name=op.f('uq_release_campaign_number')),
    )
    with op.batch_alter_table('release') as batch_op:
        batch_op.create_index(batch_op.f('ix_release_campaign_id'), ['campaign_id'], unique=False)

    released = _released_campaigns(bind)
    _rebuild_reports(sa.String(length=32), with_response=False, with_release=True,
                     new_id=lambda _n: secrets.token_hex(16), released=released)

    with op.batch_alter_table('response', recreate="always" if _sqlite() else "auto",
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.add_column(sa.Column('release_number', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_response_release_number'), ['release_number'], unique=False)
    if _sqlite():
        with op.batch_alter_table('answer', recreate="always", table_kwargs={"sqlite_with_rowid": False}):
            pass
    with op.batch_alter_table('invitation') as batch_op:
        batch_op.drop_column('submitted_at')

    if released:
        rows = bind.execute(sa.text(
            "SELECT campaign_id, SUM(CASE WHEN source = 'web' THEN 1 ELSE 0 END), COUNT(id) FROM response "
            "GROUP BY campaign_id")).all()
        release = sa.table('release', *(sa.column(c) for c in
                                         ("campaign_id", "number", "n_link", "n_entered", "final", "made_at", "groups")))
        for campaign_id, link, total in rows:
            if campaign_id not in released:
                continue
            # The sector breakdown of this first release is decided by the application the
            # next time it is needed; here it is simply not shown.
            bind.execute(sa.insert(release).values(campaign_id=campaign_id, number=1, n_link=link,
                                                   n_entered=total - link, final=False,
                                                   made_at=sa.func.current_timestamp(),
                                                   groups={"shown": False, "tallies": {}, "hidden": {}}))
            bind.execute(sa.text("UPDATE response SET release_number = 1 WHERE campaign_id = :c"), {"c": campaign_id})


def downgrade() -> None:
    with op.batch_alter_table('invitation') as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(), nullable=True))
    if _sqlite():
        with op.batch_alter_table('answer', recreate="always", table_kwargs={"sqlite_with_rowid": True}):
            pass
    with op.batch_alter_table('response', recreate="always" if _sqlite() else "auto",
                              table_kwargs={"sqlite_with_rowid": True}) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_release_number'))
        batch_op.drop_column('release_number')
    _rebuild_reports(sa.Integer(), with_response=True, with_release=False, new_id=lambda n: n)
    with op.batch_alter_table('release') as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_campaign_id'))
    op.drop_table('release')
