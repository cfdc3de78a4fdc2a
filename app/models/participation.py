"""Supports (votes) and comments on proposals."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User

if TYPE_CHECKING:
    from app.models.plan import Commitment
    from app.models.proposal import Proposal
    from app.models.tracking import ProgressUpdate

ALIGNMENTS = ("in_favor", "against", "neutral")
# How the technical table took a consultation comment into account (OGP reasoned response).
DISPOSITIONS = ("incorporated", "partially_incorporated", "not_incorporated", "out_of_scope")
# A comment belongs to exactly one of: a proposal, a commitment (consultation), a progress
# update (implementation tracking).
ONE_OWNER = ("(CASE WHEN proposal_id IS NULL THEN 0 ELSE 1 END"
             " + CASE WHEN commitment_id IS NULL THEN 0 ELSE 1 END"
             " + CASE WHEN update_id IS NULL THEN 0 ELSE 1 END) = 1")


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "proposal_id"),
        sa.Index("ix_votes_user_theme", "user_id", "theme_id"),  # per-theme limit
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id"))  # for per-theme limits
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommentRules:
    """Who may do what with a comment. Shared by the Comment model and the plain rows a
    thread page reads (app/comments/services.py `CommentView`), so the rules live once.
    Needs author_id, parent_id, hidden, deleted_at and created_at."""

    EDIT_WINDOW_MINUTES = 15

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible(self) -> bool:
        return not self.hidden and self.deleted_at is None

    def can_edit(self, user, now: datetime | None = None) -> bool:
        """Its author, for 15 minutes after posting, while it is visible."""
        if not (user and user.is_authenticated and user.id == self.author_id):
            return False
        if not self.is_visible or not user.can_participate():
            return False
        return (now or utcnow()) < self.created_at + timedelta(minutes=self.EDIT_WINDOW_MINUTES)

    def can_delete(self, user) -> bool:
        return bool(user and user.is_authenticated and user.id == self.author_id
                    and self.deleted_at is None and user.is_active)

    def can_pin(self, user) -> bool:
        """An official answer exists on proposals only (a commitment's comments get
        dispositions instead)."""
        return bool(user and user.is_authenticated and user.is_moderator
                    and self.proposal_id is not None
                    and self.parent_id is None and self.is_visible)

    def can_receive_disposition(self, user) -> bool:
        """A moderator answers a visible consultation comment (on a commitment)."""
        return bool(user and user.is_authenticated and user.is_moderator
                    and self.commitment_id is not None and self.is_visible)


class Comment(CommentRules, db.Model):
    """A comment on a proposal, during a consultation on a commitment of the plan, or during
    implementation on a progress update (exactly one of the three). Only consultation
    comments receive a disposition."""

    __tablename__ = "comments"
    __table_args__ = (
        sa.CheckConstraint(f"alignment IN {ALIGNMENTS!r}", name="alignment"),
        sa.CheckConstraint(ONE_OWNER, name="one_owner"),
        sa.CheckConstraint(f"disposition IS NULL OR disposition IN {DISPOSITIONS!r}",
                           name="disposition"),
        sa.Index("ix_comments_proposal_created", "proposal_id", "created_at", "id"),
        # The commitment page's thread, and the consultation report. Partial: nearly every
        # comment belongs to a proposal, and a full index would tell the planner each
        # commitment has half the table (the NULLs).
        sa.Index("ix_comments_commitment_created", "commitment_id", "created_at", "id",
                 sqlite_where=sa.text("commitment_id IS NOT NULL"),
                 postgresql_where=sa.text("commitment_id IS NOT NULL")),
        # The comments of the updates a commitment page shows (partial, likewise).
        sa.Index("ix_comments_update_created", "update_id", "created_at", "id",
                 sqlite_where=sa.text("update_id IS NOT NULL"),
                 postgresql_where=sa.text("update_id IS NOT NULL")),
        # A thread page reads the replies of its top-level comments by parent.
        sa.Index("ix_comments_parent", "parent_id"),
        # At most one official answer per proposal, enforced by the schema.
        sa.Index("uq_comments_one_pinned_per_proposal", "proposal_id", unique=True,
                 sqlite_where=sa.text("pinned"), postgresql_where=sa.text("pinned")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    commitment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("commitments.id", ondelete="CASCADE"))
    update_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("progress_updates.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    alignment: Mapped[str] = mapped_column(sa.String(10), default="neutral")
    pinned: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str | None] = mapped_column(sa.Text)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The reasoned response to a consultation comment (app/consultation/services.py).
    disposition: Mapped[str | None] = mapped_column(sa.String(30))
    disposition_response: Mapped[str | None] = mapped_column(sa.Text)
    disposition_response_html: Mapped[str | None] = mapped_column(sa.Text)
    disposition_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disposition_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
    # Read-only: the moderation queue names each comment's proposal or, for a consultation
    # comment, its commitment (loaded with joinedload).
    proposal: Mapped[Proposal | None] = relationship("Proposal", viewonly=True)
    commitment: Mapped[Commitment | None] = relationship("Commitment", viewonly=True)
    update: Mapped[ProgressUpdate | None] = relationship("ProgressUpdate", viewonly=True)
