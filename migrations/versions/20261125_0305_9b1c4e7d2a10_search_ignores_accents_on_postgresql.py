"""search ignores accents on PostgreSQL

The GIN index moves from the `spanish` text search configuration to `cocrea_es` (the same,
with accents removed by the `unaccent` extension first), as SQLite's FTS5 tokenizer already
does (`remove_diacritics 2`). Nothing changes on SQLite.

Revision ID: 9b1c4e7d2a10
Revises: 2783fc5de1fe
Create Date: 2026-11-25 03:05:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '9b1c4e7d2a10'
down_revision = '2783fc5de1fe'
branch_labels = None
depends_on = None

SPANISH_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_proposals_search ON proposals USING gin ("
    "to_tsvector('spanish'::regconfig, coalesce(title, '') || ' ' || coalesce(problem, '') "
    "|| ' ' || coalesce(description, '')))"
)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from app.models.search_schema import create_search_schema

    bind.exec_driver_sql("DROP INDEX IF EXISTS ix_proposals_search")
    create_search_schema(bind)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from app.models.search_schema import drop_search_schema

    drop_search_schema(bind)
    bind.exec_driver_sql(SPANISH_INDEX)
