"""Records that keep abuse bounded: sign-up form stamps already used, notices already sent."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class UsedFormStamp(db.Model):  # type: ignore[name-defined]  # db.Model is untyped
    """A sign-up form stamp (its random nonce) that was sent back once: it is void now."""

    __tablename__ = "used_form_stamps"

    nonce: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class AccountNotice(db.Model):  # type: ignore[name-defined]  # db.Model is untyped
    """A security notice emailed to an account (e.g. "someone tried to sign up with your
    address"), kept to limit how many one recipient gets."""

    __tablename__ = "account_notices"
    __table_args__ = (sa.Index("ix_account_notices_recent", "user_id", "kind", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
