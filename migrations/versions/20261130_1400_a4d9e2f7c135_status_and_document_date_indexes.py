"""indexes on proposals.status and documents.created_at

`ix_proposals_status` (status, hidden, theme_id): the moderation queue, the admin dashboard
and the OGP "reasoned response" rule count the decided proposals (accepted, merged,
rejected) and read the undecided total as the themes' stored count minus them; without an
index leading with `status`, finding the decided ones read an index entry per proposal
(20,000 at scale 1, 200,000 at scale 10). With it they read one entry per decided proposal.

`ix_documents_created` (withdrawn_at, created_at): the OGP "repository kept up to date" rule
reads the newest public document; without it every public document was read.

No row changes.

Revision ID: a4d9e2f7c135
Revises: 57e85f8c525f
Create Date: 2026-11-30 14:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a4d9e2f7c135'
down_revision = '57e85f8c525f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_proposals_status", "proposals", ["status", "hidden", "theme_id"])
    op.create_index("ix_documents_created", "documents", ["withdrawn_at", "created_at"])


def downgrade():
    op.drop_index("ix_documents_created", table_name="documents")
    op.drop_index("ix_proposals_status", table_name="proposals")
