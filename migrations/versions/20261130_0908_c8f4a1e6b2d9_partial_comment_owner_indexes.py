"""partial comment-owner indexes: commitment and update comments indexed only where set

`ix_comments_commitment_created` and `ix_comments_update_created` indexed every comment, and
nearly all comments belong to a proposal: the planner's statistics then saw ~100,000 rows per
commitment (all the NULLs) and scanned the whole comments table for the consultation report
and its counts (20 ms a query with 200,000 comments). Recreated as partial indexes (WHERE the
owner column IS NOT NULL) on SQLite and PostgreSQL. No row changes.

Revision ID: c8f4a1e6b2d9
Revises: b5e2c8d14a70
Create Date: 2026-11-30 12:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c8f4a1e6b2d9'
down_revision = 'b5e2c8d14a70'
branch_labels = None
depends_on = None

INDEXES = (("ix_comments_commitment_created", "commitment_id"),
           ("ix_comments_update_created", "update_id"))


def upgrade():
    for name, owner in INDEXES:
        op.drop_index(name, table_name="comments")
        where = sa.text(f"{owner} IS NOT NULL")
        op.create_index(name, "comments", [owner, "created_at", "id"],
                        sqlite_where=where, postgresql_where=where)


def downgrade():
    for name, owner in INDEXES:
        op.drop_index(name, table_name="comments")
        op.create_index(name, "comments", [owner, "created_at", "id"])
