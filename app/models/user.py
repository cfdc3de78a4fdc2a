"""Accounts, roles and sectors."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

ROLES = ("participant", "public_servant", "moderator", "admin")
SECTORS = (
    "sociedad_civil",
    "sector_publico",
    "sector_privado",
    "gobierno_local",
    "academia",
    "cooperacion_internacional",
    "ciudadania",
)
# Roles ordered by what they may do; a higher rank includes the lower ones.
ROLE_RANK = {"participant": 0, "public_servant": 1, "moderator": 2, "admin": 3}


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(f"role IN {ROLES!r}", name="role"),
        sa.CheckConstraint(f"sector IN {SECTORS!r}", name="sector"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased (normalize_email), so the unique index is case-insensitive.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default="participant")
    sector: Mapped[str] = mapped_column(sa.String(40))
    organization: Mapped[str | None] = mapped_column(sa.String(200))
    institution: Mapped[str | None] = mapped_column(sa.String(200))
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    active: Mapped[bool] = mapped_column(default=True)
    blocked_reason: Mapped[str | None] = mapped_column(sa.Text)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notify_comments: Mapped[bool] = mapped_column(default=True)
    notify_replies: Mapped[bool] = mapped_column(default=True)
    notify_decisions: Mapped[bool] = mapped_column(default=True)
    # Consent to appear by name on the public attendance lists of the mesas (OGP repository);
    # without it a list shows only the organization and the sector.
    list_in_attendance: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The token of the device session this request runs under (app/auth/devices.py sets it
    # at sign-in, the user loader on every request); not a column: each device has its own.
    session_token = None  # type: str | None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    # Flask-Login: the id carries the device session's token, so ending that session (one
    # row in user_sessions) voids this device's cookie and remember-me cookie, and no other.
    # Without a session ("42:"), the cookie signs nobody in on the next request.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token or ''}"

    @property
    def is_active(self) -> bool:
        return self.active and self.deleted_at is None

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def is_moderator(self) -> bool:
        return self.has_role("moderator")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_public_servant(self) -> bool:
        return self.role == "public_servant"

    @property
    def is_blocked(self) -> bool:
        return self.blocked_reason is not None

    def can_participate(self, require_confirmation: bool = False) -> bool:
        """May propose, support and comment (the one rule every service asks)."""
        if not self.is_active or self.is_blocked:
            return False
        return not require_confirmation or self.email_confirmed_at is not None
