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
    from app.models.proposal import Proposal

ALIGNMENTS = ("in_favor", "against", "neutral")


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
        return bool(user and user.is_authenticated and user.is_moderator
                    and self.parent_id is None and self.is_visible)


class Comment(CommentRules, db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        sa.CheckConstraint(f"alignment IN {ALIGNMENTS!r}", name="alignment"),
        sa.Index("ix_comments_proposal_created", "proposal_id", "created_at", "id"),
        # A thread page reads the replies of its top-level comments by parent.
        sa.Index("ix_comments_parent", "parent_id"),
        # At most one official answer per proposal, enforced by the schema.
        sa.Index("uq_comments_one_pinned_per_proposal", "proposal_id", unique=True,
                 sqlite_where=sa.text("pinned"), postgresql_where=sa.text("pinned")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
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

    author: Mapped[User] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
    # Read-only: the moderation queue names each comment's proposal (loaded with joinedload).
    proposal: Mapped[Proposal] = relationship("Proposal", viewonly=True)
