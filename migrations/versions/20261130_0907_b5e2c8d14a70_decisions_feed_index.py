"""decisions feed index: proposals by decision time

The decisions feed (/feeds/decisions.atom) lists the newest decided proposals; without an index
on `decided_at` every request sorted the whole proposals table (2.8 s with 200,000 proposals).
Adds `ix_proposals_decided` (decided_at, id). No row changes.

Revision ID: b5e2c8d14a70
Revises: d7b3e9a41c58
Create Date: 2026-11-30 12:15:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b5e2c8d14a70'
down_revision = 'd7b3e9a41c58'
branch_labels = None
depends_on = None


def upgrade():
    # Not in batch mode: SQLite creates an index in place, without copying the table.
    op.create_index('ix_proposals_decided', 'proposals', ['decided_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_proposals_decided', table_name='proposals')
