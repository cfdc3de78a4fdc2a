"""Signed-in devices: one row per sign-in, so each device can be listed and ended alone."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User


class UserSession(db.Model):  # type: ignore[name-defined]  # db.Model is untyped
    """One sign-in on one device. The cookie holds its token; only the token's hash is kept.

    Deleting the row ends that device's session and its remember-me cookie at once.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    # SHA-256 hex of the token in the cookie: a copy of the database signs nobody in.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    device: Mapped[str] = mapped_column(sa.String(120), default="")  # "Firefox · Android"
    ip_network: Mapped[str | None] = mapped_column(sa.String(50))  # "203.0.113.0/24"
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"

    def is_expired(self, idle: timedelta, remembered: timedelta,
                   now: datetime | None = None) -> bool:
        """Unused for longer than its lifetime (`remembered` when remember-me was chosen)."""
        lifetime = remembered if self.remember else idle
        return self.last_seen_at + lifetime <= (now or utcnow())
