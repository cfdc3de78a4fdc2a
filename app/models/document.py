"""The public repository of the process: agendas, minutes, attendance, plans, reports."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:  # the relationships' targets, for the type checker only
    from app.models.mesa import Mesa
    from app.models.plan import ActionPlan, Commitment

DOCUMENT_TYPES = ("agenda", "minutes", "attendance", "plan", "self_assessment", "irm_report",
                  "evidence", "other")


class Document(db.Model):  # type: ignore[name-defined]  # db.Model is untyped
    """One file of the record. Withdrawn documents keep their row and their file (the record
    of what was published), but the public no longer sees them."""

    __tablename__ = "documents"
    __table_args__ = (
        sa.CheckConstraint(f"type IN {DOCUMENT_TYPES!r}", name="type"),
        sa.CheckConstraint("size > 0", name="size"),
        # /repository: the documents still public, newest first.
        sa.Index("ix_documents_listing", "withdrawn_at", "document_date", "id"),
        # The newest public document (OGP "repository kept up to date").
        sa.Index("ix_documents_created", "withdrawn_at", "created_at"),
        # A commitment's trail: each mesa's first documents, the commitment's newest.
        sa.Index("ix_documents_mesa_date", "mesa_id", "withdrawn_at", "document_date", "id"),
        sa.Index("ix_documents_commitment_date", "commitment_id", "withdrawn_at",
                 "document_date", "id"),
        # /repository?type=…: a type's page and its count, read from the index alone.
        sa.Index("ix_documents_type_date", "withdrawn_at", "type", "document_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("action_plans.id"), index=True)
    mesa_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mesas.id"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("commitments.id"),
                                                      index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    type: Mapped[str] = mapped_column(sa.String(20))
    document_date: Mapped[date] = mapped_column(sa.Date)
    # The name as uploaded, made safe for a URL and a Content-Disposition header.
    original_filename: Mapped[str] = mapped_column(sa.String(255))
    # Random, never derived from the upload: the storage key of the file.
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)  # bytes
    content_type: Mapped[str] = mapped_column(sa.String(100))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.Text)

    mesa: Mapped[Mesa | None] = relationship()  # noqa: F821
    commitment: Mapped[Commitment | None] = relationship()  # noqa: F821
    plan: Mapped[ActionPlan] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.type}>"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @staticmethod
    def can_upload(user, commitment=None) -> bool:
        """Moderators file any document. Stewards will file `evidence` for their own
        commitments once commitments have stewards (implementation tracking, issue 17):
        that rule belongs here, with `commitment` the one the evidence is for."""
        return bool(user and user.is_authenticated and user.is_moderator)

    def can_view(self, user) -> bool:
        """Anyone, until withdrawn; then only moderators (the file is kept for the record)."""
        if not self.withdrawn:
            return True
        return bool(user and user.is_authenticated and user.is_moderator)

    def can_withdraw(self, user) -> bool:
        return bool(user and user.is_authenticated and user.is_moderator) and not self.withdrawn
