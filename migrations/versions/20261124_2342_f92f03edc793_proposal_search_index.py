"""proposal search index

Revision ID: f92f03edc793
Revises: 482ed62bff2c
Create Date: 2026-11-24 23:42:36.880266

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f92f03edc793'
down_revision = '482ed62bff2c'
branch_labels = None
depends_on = None


def upgrade():
    # The full-text search objects are dialect-specific DDL kept next to the search code
    # (SQLite: an FTS5 table with triggers; PostgreSQL: a GIN index on to_tsvector).
    from app.models.search_schema import create_search_schema

    create_search_schema(op.get_bind())


def downgrade():
    from app.models.search_schema import drop_search_schema

    drop_search_schema(op.get_bind())
