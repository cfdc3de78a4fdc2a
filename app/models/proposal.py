"""Draft commitments (proposals) in the OGP template, and their revision history."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.plan import Theme
from app.models.search_schema import install_ddl_events
from app.models.user import User

PROPOSAL_STATUSES = ("open", "under_review", "accepted", "merged", "rejected")
TEMPLATE_FIELDS = ("problem", "cause", "description", "contribution")
TITLE_MAX = 150
BODY_MAX = 20_000


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {PROPOSAL_STATUSES!r}", name="status"),
        sa.CheckConstraint("vote_count >= 0 AND comment_count >= 0", name="counts"),
        # One index per listing order, led by the filters every public list applies.
        sa.Index("ix_proposals_theme_votes", "theme_id", "hidden", "vote_count", "id"),
        sa.Index("ix_proposals_theme_recent", "theme_id", "hidden", "created_at", "id"),
        sa.Index("ix_proposals_theme_comments", "theme_id", "hidden", "comment_count", "id"),
        sa.Index("ix_proposals_votes", "hidden", "vote_count", "id"),
        sa.Index("ix_proposals_recent", "hidden", "created_at", "id"),
        sa.Index("ix_proposals_comments", "hidden", "comment_count", "id"),
        sa.Index("ix_proposals_author_status", "author_id", "status"),
        # The decisions feed: the newest decided proposals.
        sa.Index("ix_proposals_decided", "decided_at", "id"),
        # The API's Last-Modified (max(updated_at)): one index entry instead of a table scan.
        sa.Index("ix_proposals_updated", "updated_at"),
        # Decided proposals (few) by status: moderation and OGP counts (ids_with_status).
        sa.Index("ix_proposals_status", "status", "hidden", "theme_id"),
        # The proposals merged into others (a commitment's trail): partial, few.
        sa.Index("ix_proposals_merged_into", "merged_into_id",
                 sqlite_where=sa.text("merged_into_id IS NOT NULL"),
                 postgresql_where=sa.text("merged_into_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    problem: Mapped[str] = mapped_column(sa.Text)
    cause: Mapped[str] = mapped_column(sa.Text, default="")
    description: Mapped[str] = mapped_column(sa.Text)
    contribution: Mapped[str] = mapped_column(sa.Text, default="")
    # Sanitized HTML rendered once from the Markdown above (app/text.py), never from input.
    problem_html: Mapped[str] = mapped_column(sa.Text, default="")
    cause_html: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    contribution_html: Mapped[str] = mapped_column(sa.Text, default="")
    ogp_values: Mapped[list] = mapped_column(sa.JSON, default=list)
    lead_institution: Mapped[str] = mapped_column(sa.String(200), default="")
    partners: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    response: Mapped[str | None] = mapped_column(sa.Text)
    response_html: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id"))
    vote_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str | None] = mapped_column(sa.Text)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    theme: Mapped[Theme] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    merged_into: Mapped[Proposal | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status}>"

    def can_view(self, user) -> bool:
        if not self.hidden:
            return True
        return bool(user and user.is_authenticated and user.is_moderator)

    def can_edit(self, user) -> bool:
        """Authors revise while the proposal is open; moderators at any time."""
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user.is_moderator:
            return True
        return user.id == self.author_id and self.status == "open" and not user.is_blocked


class ProposalRevision(db.Model):
    """The text of a proposal before an edit: nobody loses text silently."""

    __tablename__ = "proposal_revisions"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    problem: Mapped[str] = mapped_column(sa.Text)
    cause: Mapped[str] = mapped_column(sa.Text, default="")
    description: Mapped[str] = mapped_column(sa.Text)
    contribution: Mapped[str] = mapped_column(sa.Text, default="")
    ogp_values: Mapped[list] = mapped_column(sa.JSON, default=list)
    lead_institution: Mapped[str] = mapped_column(sa.String(200), default="")
    partners: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    editor: Mapped[User | None] = relationship()


# Full-text search objects (FTS5 table and triggers / GIN index) live and die with the table.
install_ddl_events(Proposal.__table__)
