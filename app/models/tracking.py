"""Implementation tracking: the stewards of a commitment, its followers, and its progress
updates (a timeline: each update is a new row, never edited), each with the status it gave
to the commitment's milestones."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.plan import MILESTONE_STATUSES, Commitment, Milestone
from app.models.user import User

# The plans whose commitments report progress, and those /tracking shows.
REPORTING_PLAN_STATUSES = ("adopted", "implementation")
TRACKED_PLAN_STATUSES = ("adopted", "implementation", "closed")
# The contract's completion levels, from least to most (app/tracking/completion.py).
COMPLETION_LEVELS = ("not_started", "limited", "substantial", "complete")


class CommitmentSteward(db.Model):
    """A public servant named by an admin to report the progress of a commitment."""

    __tablename__ = "commitment_stewards"
    __table_args__ = (sa.UniqueConstraint("commitment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    named_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class CommitmentFollower(db.Model):
    """Someone emailed on each progress update of a commitment."""

    __tablename__ = "commitment_followers"
    __table_args__ = (sa.UniqueConstraint("commitment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class ProgressUpdate(db.Model):
    """One report of a commitment's progress: kept as written (the timeline), never
    overwritten; the commitment's `progress` and its milestones' `status` follow the
    newest."""

    __tablename__ = "progress_updates"
    __table_args__ = (
        sa.CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        # The commitment page's timeline, newest first.
        sa.Index("ix_progress_updates_commitment_created", "commitment_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitments.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    summary: Mapped[str] = mapped_column(sa.Text)
    summary_html: Mapped[str] = mapped_column(sa.Text)
    progress: Mapped[int] = mapped_column()
    obstacles: Mapped[str] = mapped_column(sa.Text, default="")
    obstacles_html: Mapped[str] = mapped_column(sa.Text, default="")
    evidence_urls: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
    commitment: Mapped[Commitment] = relationship()
    milestone_reports: Mapped[list[MilestoneReport]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="MilestoneReport.id")


class MilestoneReport(db.Model):
    """The status an update gave to one milestone (the milestone's history)."""

    __tablename__ = "milestone_reports"
    __table_args__ = (
        sa.UniqueConstraint("update_id", "milestone_id"),
        sa.CheckConstraint(f"status IN {MILESTONE_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        sa.ForeignKey("progress_updates.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(
        sa.ForeignKey("milestones.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20))

    update: Mapped[ProgressUpdate] = relationship(back_populates="milestone_reports")
    milestone: Mapped[Milestone] = relationship()
