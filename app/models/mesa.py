"""The co-creation working sessions ("mesas") and who registered for them."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.plan import Theme

REGISTRATION_STATUSES = ("registered", "waitlisted")


class Mesa(db.Model):
    __tablename__ = "mesas"
    __table_args__ = (
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id"), unique=True)
    number: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    capacity: Mapped[int] = mapped_column(default=100)
    # Kept by atomic UPDATEs with the registrations, never read-modify-write in Python.
    seats_taken: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    theme: Mapped[Theme] = relationship()

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def is_past(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or utcnow())


class MesaRegistration(db.Model):
    __tablename__ = "mesa_registrations"
    __table_args__ = (
        sa.UniqueConstraint("mesa_id", "user_id"),
        sa.CheckConstraint(f"status IN {REGISTRATION_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mesa_id: Mapped[int] = mapped_column(sa.ForeignKey("mesas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="registered")
    attended: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mesa: Mapped[Mesa] = relationship()
    user: Mapped[User] = relationship()  # noqa: F821
