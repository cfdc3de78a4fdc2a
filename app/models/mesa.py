"""Meetings ("mesas") and who registered for them.

Three kinds: co-creation mesas (one theme each, several rounds per theme), meetings of the
multistakeholder forum, and implementation meetings. Each belongs to a plan.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.plan import ActionPlan, Theme

REGISTRATION_STATUSES = ("registered", "waitlisted")
MESA_KINDS = ("cocreation", "forum", "implementation")


class Mesa(db.Model):
    __tablename__ = "mesas"
    __table_args__ = (
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats"),
        sa.CheckConstraint(f"kind IN {MESA_KINDS!r}", name="kind"),
        # A co-creation mesa works on one theme; forum and implementation meetings on none.
        sa.CheckConstraint("(kind = 'cocreation') = (theme_id IS NOT NULL)", name="theme"),
        sa.Index("ix_mesas_plan_starts", "plan_id", "starts_at"),
        sa.Index("ix_mesas_theme_starts", "theme_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("action_plans.id"))
    kind: Mapped[str] = mapped_column(sa.String(20), default="cocreation",
                                      server_default="cocreation")
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("themes.id"))
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    capacity: Mapped[int] = mapped_column(default=100)
    # Kept by atomic UPDATEs with the registrations, never read-modify-write in Python.
    seats_taken: Mapped[int] = mapped_column(default=0)
    # RFC 5545 SEQUENCE: raised on every change registrants are told about (time, place,
    # cancellation), so calendars replace the event instead of adding a second one.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    theme: Mapped[Theme | None] = relationship()
    plan: Mapped[ActionPlan] = relationship()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def display_title(self) -> str:
        """The title given, or the theme's name for a co-creation mesa without one."""
        if self.title:
            return self.title
        return self.theme.name if self.theme is not None else ""

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
