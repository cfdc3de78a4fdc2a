"""Flags raised by participants and the append-only log of moderation actions."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User

FLAG_REASONS = ("spam", "offensive", "off_topic", "duplicate", "other")
TARGET_TYPES = ("proposal", "comment", "user")


class Flag(db.Model):
    __tablename__ = "flags"
    __table_args__ = (
        sa.UniqueConstraint("target_type", "target_id", "user_id"),
        sa.CheckConstraint(f"reason IN {FLAG_REASONS!r}", name="reason"),
        sa.Index("ix_flags_open", "resolved_at", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(sa.String(10))
    target_id: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(sa.String(20))
    details: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(sa.String(20))

    user: Mapped[User] = relationship()


class ModerationAction(db.Model):
    """Who did what, why and when. Rows are only ever inserted."""

    __tablename__ = "moderation_actions"
    __table_args__ = (sa.Index("ix_moderation_actions_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # None: system
    action: Mapped[str] = mapped_column(sa.String(30))
    target_type: Mapped[str] = mapped_column(sa.String(10))
    target_id: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str | None] = mapped_column(sa.String(20))
    public: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    moderator: Mapped[User | None] = relationship()
