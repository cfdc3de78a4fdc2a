"""indexes for a commitment's trail and the repository: documents per mesa, per commitment
and per type by date, and the proposals merged into others

A trail shows each mesa's first documents and the commitment's newest; with these indexes
each list is one `LIMIT` on an index, however many documents a mesa holds (the national
dataset files thousands per mesa). The proposals merged into a commitment's sources were
found by reading every proposal; a partial index holds only the merged ones. The repository
filtered by type (minutes, agendas…) reads its page and its count from the type's index
entries instead of every public document. No row changes.

Revision ID: e7c3b58a9d21
Revises: a4d9e2f7c135
Create Date: 2026-11-30 14:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e7c3b58a9d21'
down_revision = 'a4d9e2f7c135'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_documents_mesa_date", "documents",
                    ["mesa_id", "withdrawn_at", "document_date", "id"])
    op.create_index("ix_documents_commitment_date", "documents",
                    ["commitment_id", "withdrawn_at", "document_date", "id"])
    op.create_index("ix_documents_type_date", "documents",
                    ["withdrawn_at", "type", "document_date", "id"])
    merged = sa.text("merged_into_id IS NOT NULL")
    op.create_index("ix_proposals_merged_into", "proposals", ["merged_into_id"],
                    sqlite_where=merged, postgresql_where=merged)


def downgrade():
    op.drop_index("ix_proposals_merged_into", table_name="proposals")
    op.drop_index("ix_documents_type_date", table_name="documents")
    op.drop_index("ix_documents_commitment_date", table_name="documents")
    op.drop_index("ix_documents_mesa_date", table_name="documents")
