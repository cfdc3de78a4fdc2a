"""implementation tracking: stewards, followers, progress updates and milestone statuses

Commitments gain their reported progress (0 until the first update) and milestones their
status (`not_started`); comments may belong to a progress update (a third owner); accounts
gain the `notify_updates` preference (on). Every existing row keeps its values.

Revision ID: d7b3e9a41c58
Revises: 6d04760fcc23
Create Date: 2026-11-30 09:05:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd7b3e9a41c58'
down_revision = '6d04760fcc23'
branch_labels = None
depends_on = None

MILESTONE_STATUSES = ("not_started", "in_progress", "completed", "delayed", "withdrawn")
PINNED = {"sqlite_where": sa.text("pinned"), "postgresql_where": sa.text("pinned")}
TWO_OWNERS = "(proposal_id IS NULL) <> (commitment_id IS NULL)"
THREE_OWNERS = ("(CASE WHEN proposal_id IS NULL THEN 0 ELSE 1 END"
                " + CASE WHEN commitment_id IS NULL THEN 0 ELSE 1 END"
                " + CASE WHEN update_id IS NULL THEN 0 ELSE 1 END) = 1")


def _link_table(name: str) -> None:
    """commitment_stewards / commitment_followers: one row per (commitment, account)."""
    columns = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
    ]
    if name == "commitment_stewards":
        columns.append(sa.Column("named_by_id", sa.Integer(), nullable=True))
    columns.append(sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    constraints = [
        sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_commitment_id_commitments")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f(f"fk_{name}_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("commitment_id", "user_id",
                            name=op.f(f"uq_{name}_commitment_id_user_id")),
    ]
    if name == "commitment_stewards":
        constraints.append(sa.ForeignKeyConstraint(
            ["named_by_id"], ["users.id"], name=op.f(f"fk_{name}_named_by_id_users")))
    op.create_table(name, *columns, *constraints)
    with op.batch_alter_table(name) as batch:
        batch.create_index(batch.f(f"ix_{name}_commitment_id"), ["commitment_id"])
        batch.create_index(batch.f(f"ix_{name}_user_id"), ["user_id"])


def upgrade():
    _link_table("commitment_stewards")
    _link_table("commitment_followers")
    op.create_table(
        "progress_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("summary_html", sa.Text(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("obstacles", sa.Text(), nullable=False),
        sa.Column("obstacles_html", sa.Text(), nullable=False),
        sa.Column("evidence_urls", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("progress >= 0 AND progress <= 100",
                           name=op.f("ck_progress_updates_progress")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_progress_updates_author_id_users")),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], ondelete="CASCADE",
                                name=op.f("fk_progress_updates_commitment_id_commitments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_updates")),
    )
    with op.batch_alter_table("progress_updates") as batch:
        batch.create_index(batch.f("ix_progress_updates_author_id"), ["author_id"])
        batch.create_index("ix_progress_updates_commitment_created",
                           ["commitment_id", "created_at", "id"])
    op.create_table(
        "milestone_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.CheckConstraint(f"status IN {MILESTONE_STATUSES!r}",
                           name=op.f("ck_milestone_reports_status")),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestones.id"], ondelete="CASCADE",
                                name=op.f("fk_milestone_reports_milestone_id_milestones")),
        sa.ForeignKeyConstraint(["update_id"], ["progress_updates.id"], ondelete="CASCADE",
                                name=op.f("fk_milestone_reports_update_id_progress_updates")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_reports")),
        sa.UniqueConstraint("update_id", "milestone_id",
                            name=op.f("uq_milestone_reports_update_id_milestone_id")),
    )
    with op.batch_alter_table("milestone_reports") as batch:
        batch.create_index(batch.f("ix_milestone_reports_milestone_id"), ["milestone_id"])
        batch.create_index(batch.f("ix_milestone_reports_update_id"), ["update_id"])

    with op.batch_alter_table("commitments") as batch:
        batch.add_column(sa.Column("progress", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("last_update_at", sa.DateTime(timezone=True),
                                   nullable=True))
    with op.batch_alter_table("milestones") as batch:
        batch.add_column(sa.Column("status", sa.String(length=20), nullable=False,
                                   server_default="not_started"))
        batch.create_check_constraint("status", f"status IN {MILESTONE_STATUSES!r}")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("notify_updates", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))

    # SQLite rebuilds the table: the partial index is dropped first and made again after.
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("uq_comments_one_pinned_per_proposal", **PINNED)
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("update_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_comments_update_id_progress_updates"),
                                 "progress_updates", ["update_id"], ["id"], ondelete="CASCADE")
        batch.drop_constraint("one_owner", type_="check")
        batch.create_check_constraint("one_owner", THREE_OWNERS)
        batch.create_index("ix_comments_update_created", ["update_id", "created_at", "id"])
    with op.batch_alter_table("comments") as batch:
        batch.create_index("uq_comments_one_pinned_per_proposal", ["proposal_id"], unique=True,
                           **PINNED)


def downgrade():
    op.execute("DELETE FROM comments WHERE update_id IS NOT NULL")
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("uq_comments_one_pinned_per_proposal", **PINNED)
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("ix_comments_update_created")
        batch.drop_constraint("one_owner", type_="check")
        batch.create_check_constraint("one_owner", TWO_OWNERS)
        batch.drop_constraint(batch.f("fk_comments_update_id_progress_updates"),
                              type_="foreignkey")
        batch.drop_column("update_id")
    with op.batch_alter_table("comments") as batch:
        batch.create_index("uq_comments_one_pinned_per_proposal", ["proposal_id"], unique=True,
                           **PINNED)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("notify_updates")
    with op.batch_alter_table("milestones") as batch:
        batch.drop_constraint("status", type_="check")
        batch.drop_column("status")
    with op.batch_alter_table("commitments") as batch:
        batch.drop_column("last_update_at")
        batch.drop_column("progress")
    op.drop_table("milestone_reports")
    op.drop_table("progress_updates")
    op.drop_table("commitment_followers")
    op.drop_table("commitment_stewards")
