"""exact public counters: stored theme totals, comment counts of readable comments

`themes.proposal_count` and `themes.vote_count` (the visible proposals of a theme and the
supports they hold) replace the per-process GROUP BY cache; `proposals.comment_count` now
counts only the comments the public can read (not hidden, not deleted). The upgrade computes
the new columns and recomputes the comment counts from the rows; from then on each counter
moves in the transaction of the change (app/proposals/counters.py).

Revision ID: 5e8d3c1a7b90
Revises: 9b1c4e7d2a10
Create Date: 2026-11-30 08:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e8d3c1a7b90'
down_revision = '9b1c4e7d2a10'
branch_labels = None
depends_on = None

VISIBLE_OF_THEME = "proposals.theme_id = themes.id AND NOT proposals.hidden"


def upgrade():
    with op.batch_alter_table("themes") as batch:
        batch.add_column(sa.Column("proposal_count", sa.Integer(), server_default="0",
                                   nullable=False))
        batch.add_column(sa.Column("vote_count", sa.Integer(), server_default="0",
                                   nullable=False))
    op.execute(
        "UPDATE proposals SET comment_count = (SELECT count(*) FROM comments WHERE "
        "comments.proposal_id = proposals.id AND NOT comments.hidden "
        "AND comments.deleted_at IS NULL)")
    op.execute(
        f"UPDATE themes SET proposal_count = (SELECT count(*) FROM proposals WHERE "
        f"{VISIBLE_OF_THEME}), vote_count = (SELECT coalesce(sum(proposals.vote_count), 0) "
        f"FROM proposals WHERE {VISIBLE_OF_THEME})")


def downgrade():
    # The previous rule counted hidden comments too (those not deleted by their author).
    op.execute(
        "UPDATE proposals SET comment_count = (SELECT count(*) FROM comments WHERE "
        "comments.proposal_id = proposals.id AND comments.deleted_at IS NULL)")
    with op.batch_alter_table("themes") as batch:
        batch.drop_column("vote_count")
        batch.drop_column("proposal_count")
