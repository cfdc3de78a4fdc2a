"""search vector stored in a column on PostgreSQL; indexes on proposals.updated_at and
comments.parent_id

The full-text index moves from an expression (`to_tsvector(...)` recomputed by any plan that
reads rows in another order) to a stored generated column `proposals.search_vector` with a
GIN index, so a listing sorted by supports can test each row in a microsecond and stop after
a page of matches. Existing rows get their vector when the column is added. Nothing changes
on SQLite (FTS5) for search.

On both databases, `ix_proposals_updated` serves the API's Last-Modified (the newest
`updated_at`), which read the whole table on every /api/v1/themes request, and
`ix_comments_parent` a thread page's replies (which tested every comment of the thread).

Revision ID: 57e85f8c525f
Revises: c8f4a1e6b2d9
Create Date: 2026-11-30 10:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '57e85f8c525f'
down_revision = 'c8f4a1e6b2d9'
branch_labels = None
depends_on = None

DOCUMENT = (
    "to_tsvector('cocrea_es'::regconfig, coalesce(title, '') || ' ' || coalesce(problem, '') "
    "|| ' ' || coalesce(description, ''))"
)


def upgrade():
    op.create_index("ix_proposals_updated", "proposals", ["updated_at"])
    op.create_index("ix_comments_parent", "comments", ["parent_id"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.exec_driver_sql(
        f"ALTER TABLE proposals ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED")
    bind.exec_driver_sql("DROP INDEX IF EXISTS ix_proposals_search")
    bind.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_proposals_search_vector ON proposals "
                         "USING gin (search_vector)")


def downgrade():
    op.drop_index("ix_proposals_updated", table_name="proposals")
    op.drop_index("ix_comments_parent", table_name="comments")
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.exec_driver_sql("DROP INDEX IF EXISTS ix_proposals_search_vector")
    bind.exec_driver_sql("ALTER TABLE proposals DROP COLUMN IF EXISTS search_vector")
    bind.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS ix_proposals_search ON proposals USING gin ({DOCUMENT})")
