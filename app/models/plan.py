"""The national action plan, its themes, and the commitments of its draft."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

OGP_VALUES = ("transparency", "participation", "accountability", "technology")
PLAN_STATUSES = ("cocreation", "consultation", "adopted", "implementation", "closed")
# A milestone's state during implementation (set by progress updates, app/tracking/).
MILESTONE_STATUSES = ("not_started", "in_progress", "completed", "delayed", "withdrawn")
# Milestones that are finished one way or the other: never overdue.
MILESTONE_CLOSED = ("completed", "withdrawn")
# The one table of allowed plan status changes (the OGP cycle, with one step back each for
# corrections). Every form and service asks `ActionPlan.can_move_to`.
PLAN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "cocreation": ("consultation",),
    "consultation": ("cocreation", "adopted"),
    "adopted": ("consultation", "implementation"),
    "implementation": ("closed",),
    "closed": ("implementation",),
}

commitment_sources = sa.Table(
    "commitment_sources",
    db.metadata,
    sa.Column("commitment_id", sa.ForeignKey("commitments.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("proposal_id", sa.ForeignKey("proposals.id", ondelete="CASCADE"),
              primary_key=True),
)


class ActionPlan(db.Model):
    """One national action plan (a two-year cycle). Exactly one is current: the unique
    partial index allows a single row with `is_current`, and `plans.services.make_current`
    moves the mark in one transaction."""

    __tablename__ = "action_plans"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {PLAN_STATUSES!r}", name="status"),
        sa.Index("uq_action_plans_one_current", "is_current", unique=True,
                 sqlite_where=sa.text("is_current"), postgresql_where=sa.text("is_current")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    period: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default="cocreation")
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    # OGP processes differ on this; the default keeps supports a signal from others.
    allow_self_support: Mapped[bool] = mapped_column(default=False)
    is_current: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    themes: Mapped[list[Theme]] = relationship(
        back_populates="plan", order_by="Theme.position"
    )
    phases: Mapped[list[PlanPhase]] = relationship(
        back_populates="plan", order_by="PlanPhase.starts_on"
    )

    def __repr__(self) -> str:
        return f"<ActionPlan {self.slug}>"

    @property
    def is_archived(self) -> bool:
        return not self.is_current

    def accepts_participation(self) -> bool:
        """New proposals, supports and comments are taken only by the current plan, and not
        once it is closed. The one rule the proposal, vote and comment services ask."""
        return self.is_current and self.status != "closed"

    def takes_progress_updates(self) -> bool:
        """Progress is reported once the plan is adopted and during its implementation."""
        return self.status in ("adopted", "implementation")

    def allowed_statuses(self) -> tuple[str, ...]:
        """The statuses this plan may move to next (PLAN_TRANSITIONS)."""
        return PLAN_TRANSITIONS.get(self.status, ())

    def can_move_to(self, status: str) -> bool:
        return status == self.status or status in self.allowed_statuses()


class PlanPhase(db.Model):
    """A dated step of the plan's timeline ("Mesas técnicas", "Consulta pública"), as the OGP
    standard asks: published, with the moment it was published, before co-creation starts.
    Phases of one plan never overlap (checked by `plans.services.add_phase`)."""

    __tablename__ = "plan_phases"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates"),
        sa.Index("ix_plan_phases_plan_starts", "plan_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("action_plans.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(150))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: a draft
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[ActionPlan] = relationship(back_populates="phases")

    def is_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("action_plans.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(150))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column()
    proposals_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposals_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_open_proposals_per_user: Mapped[int | None] = mapped_column(default=5)  # None: unlimited
    max_supports_per_user: Mapped[int | None] = mapped_column()  # None: unlimited
    # What /themes and the listings show: the visible proposals and the supports they hold.
    # Kept by atomic UPDATEs with each change (app/proposals/counters.py), never recounted.
    proposal_count: Mapped[int] = mapped_column(default=0, server_default="0")
    vote_count: Mapped[int] = mapped_column(default=0, server_default="0")

    # Joined: every rule about a theme's proposals asks its plan (accepts_participation).
    plan: Mapped[ActionPlan] = relationship(back_populates="themes", lazy="joined",
                                            innerjoin=True)

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"

    @staticmethod
    def _within(now: datetime, start: datetime | None, end: datetime | None) -> bool:
        return (start is None or start <= now) and (end is None or now < end)

    def proposals_open(self, now: datetime | None = None) -> bool:
        return self._within(now or utcnow(), self.proposals_open_at, self.proposals_close_at)

    def voting_open(self, now: datetime | None = None) -> bool:
        return self._within(now or utcnow(), self.voting_open_at, self.voting_close_at)


class Commitment(db.Model):
    """A commitment of the plan draft, in the OGP template, traced to its source proposals."""

    __tablename__ = "commitments"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("action_plans.id"), index=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id"), index=True)
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200))
    problem: Mapped[str] = mapped_column(sa.Text, default="")
    cause: Mapped[str] = mapped_column(sa.Text, default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    contribution: Mapped[str] = mapped_column(sa.Text, default="")
    ogp_values: Mapped[list] = mapped_column(sa.JSON, default=list)
    lead_institution: Mapped[str] = mapped_column(sa.String(200), default="")
    partners: Mapped[str] = mapped_column(sa.Text, default="")
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_role: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The newest progress update's percentage and moment (app/tracking/services.py keeps
    # them with each update; the updates themselves are the history).
    progress: Mapped[int] = mapped_column(default=0, server_default="0")
    last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    theme: Mapped[Theme] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="commitment", order_by="Milestone.position",
        cascade="all, delete-orphan",
    )
    source_proposals: Mapped[list[Proposal]] = relationship(  # noqa: F821
        secondary=commitment_sources, order_by="Proposal.id"
    )
    plan: Mapped[ActionPlan] = relationship()
    stewards: Mapped[list[CommitmentSteward]] = relationship(  # noqa: F821
        order_by="CommitmentSteward.id", viewonly=True)

    def is_steward(self, user) -> bool:
        """Whether `user` was named a steward of this commitment (stewards loaded)."""
        return bool(user and user.is_authenticated
                    and any(steward.user_id == user.id for steward in self.stewards))

    def can_report(self, user) -> bool:
        """Stewards (still public servants) and moderators post progress updates; whether
        the plan takes them yet is `plan.takes_progress_updates()`."""
        if not (user and user.is_authenticated and user.is_active and not user.is_blocked):
            return False
        return user.is_moderator or (user.is_public_servant and self.is_steward(user))


class Milestone(db.Model):
    __tablename__ = "milestones"
    __table_args__ = (sa.CheckConstraint(f"status IN {MILESTONE_STATUSES!r}", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(sa.Text)
    deliverable: Mapped[str] = mapped_column(sa.Text, default="")
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    responsible: Mapped[str] = mapped_column(sa.String(200), default="")
    # As the newest progress update left it (the updates keep the history).
    status: Mapped[str] = mapped_column(sa.String(20), default="not_started",
                                        server_default="not_started")

    commitment: Mapped[Commitment] = relationship(back_populates="milestones")

    def is_overdue(self, today: date) -> bool:
        """Its end date has passed (`today`: Guatemala's date) and it is neither completed
        nor withdrawn."""
        return (self.end_date is not None and self.end_date < today
                and self.status not in MILESTONE_CLOSED)


class PlanVersion(db.Model):
    """A published snapshot of the draft ("Borrador v2, 15-09-2018"); never changed after."""

    __tablename__ = "plan_versions"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("action_plans.id"), index=True)
    number: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(sa.String(120))
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
