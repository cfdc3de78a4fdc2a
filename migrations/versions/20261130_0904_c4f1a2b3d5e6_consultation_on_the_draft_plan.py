"""consultation on the draft plan: consultation windows, comments on commitments, dispositions

A comment now belongs to a proposal or to a commitment (exactly one: `one_owner`); a
consultation comment may carry the technical table's disposition and reasoned response.
Every existing comment keeps its proposal; nothing is recomputed.

Revision ID: c4f1a2b3d5e6
Revises: c3a7e5d19f42
Create Date: 2026-11-30 09:04:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4f1a2b3d5e6'
down_revision = 'c3a7e5d19f42'
branch_labels = None
depends_on = None

DISPOSITIONS = ("incorporated", "partially_incorporated", "not_incorporated", "out_of_scope")
PINNED = {"sqlite_where": sa.text("pinned"), "postgresql_where": sa.text("pinned")}


def upgrade():
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("closes_at > opens_at", name=op.f("ck_consultations_window")),
        sa.ForeignKeyConstraint(["opened_by_id"], ["users.id"],
                                name=op.f("fk_consultations_opened_by_id_users")),
        sa.ForeignKeyConstraint(["plan_id"], ["action_plans.id"],
                                name=op.f("fk_consultations_plan_id_action_plans")),
        sa.ForeignKeyConstraint(["version_id"], ["plan_versions.id"],
                                name=op.f("fk_consultations_version_id_plan_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    with op.batch_alter_table("consultations") as batch:
        batch.create_index(batch.f("ix_consultations_plan_id"), ["plan_id"], unique=False)

    # SQLite rebuilds the table: the partial index is dropped first and made again after, so
    # it keeps its WHERE clause.
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("uq_comments_one_pinned_per_proposal", **PINNED)
    with op.batch_alter_table("comments") as batch:
        batch.alter_column("proposal_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("commitment_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("disposition", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("disposition_response", sa.Text(), nullable=True))
        batch.add_column(sa.Column("disposition_response_html", sa.Text(), nullable=True))
        batch.add_column(sa.Column("disposition_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("disposition_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_comments_commitment_id_commitments"),
                                 "commitments", ["commitment_id"], ["id"], ondelete="CASCADE")
        batch.create_foreign_key(batch.f("fk_comments_disposition_by_id_users"),
                                 "users", ["disposition_by_id"], ["id"])
        batch.create_check_constraint(
            "one_owner", "(proposal_id IS NULL) <> (commitment_id IS NULL)")
        batch.create_check_constraint(
            "disposition", f"disposition IS NULL OR disposition IN {DISPOSITIONS!r}")
        batch.create_index("ix_comments_commitment_created",
                           ["commitment_id", "created_at", "id"], unique=False)
    with op.batch_alter_table("comments") as batch:
        batch.create_index("uq_comments_one_pinned_per_proposal", ["proposal_id"], unique=True,
                           **PINNED)


def downgrade():
    op.execute("DELETE FROM comments WHERE commitment_id IS NOT NULL")
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("uq_comments_one_pinned_per_proposal", **PINNED)
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("ix_comments_commitment_created")
        batch.drop_constraint("disposition", type_="check")
        batch.drop_constraint("one_owner", type_="check")
        batch.drop_constraint(batch.f("fk_comments_disposition_by_id_users"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_comments_commitment_id_commitments"),
                              type_="foreignkey")
        for column in ("disposition_by_id", "disposition_at", "disposition_response_html",
                       "disposition_response", "disposition", "commitment_id"):
            batch.drop_column(column)
        batch.alter_column("proposal_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("comments") as batch:
        batch.create_index("uq_comments_one_pinned_per_proposal", ["proposal_id"], unique=True,
                           **PINNED)
    with op.batch_alter_table("consultations") as batch:
        batch.drop_index(batch.f("ix_consultations_plan_id"))
    op.drop_table("consultations")
