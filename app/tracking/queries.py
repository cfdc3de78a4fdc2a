"""What the tracking pages read: the tracker's rows and totals, a commitment's timeline with
its comments, and overdue milestones. Each a constant number of queries, whatever the
number of commitments, milestones or updates."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.errors import NotFound
from app.extensions import db
from app.models import (
    ActionPlan,
    Comment,
    Commitment,
    CommitmentFollower,
    Milestone,
    ProgressUpdate,
    Theme,
    User,
)
from app.models.plan import MILESTONE_CLOSED
from app.models.tracking import COMPLETION_LEVELS, TRACKED_PLAN_STATUSES
from app.tracking.completion import completion_level

GUATEMALA = ZoneInfo("America/Guatemala")
UPDATES_PER_PAGE = 20
CSV_COLUMNS = (
    "commitment_id", "plan", "number", "title", "theme", "lead_institution", "progress",
    "completion", "milestones_done", "milestones_total", "milestones_overdue",
    "last_update_at",
)


def local_today() -> date:
    """Today in Guatemala (milestone end dates are local dates)."""
    return datetime.now(GUATEMALA).date()


@dataclass(frozen=True)
class TrackingRow:
    commitment_id: int
    plan: str
    plan_title: str
    number: int
    title: str
    theme: str
    theme_name: str
    lead_institution: str
    progress: int
    completion: str
    milestones_done: int
    milestones_total: int
    milestones_overdue: int
    last_update_at: datetime | None

    def document(self) -> dict:
        """The /api/v1/tracking item (contract: "Open data API, continued")."""
        return {
            "commitment_id": self.commitment_id, "plan": self.plan, "number": self.number,
            "title": self.title, "theme": self.theme,
            "lead_institution": self.lead_institution, "progress": self.progress,
            "completion": self.completion, "milestones_done": self.milestones_done,
            "milestones_total": self.milestones_total,
            "milestones_overdue": self.milestones_overdue,
            "last_update_at": self.last_update_at.isoformat() if self.last_update_at else None,
        }

    def csv_row(self) -> list:
        document = self.document()
        return [document[column] for column in CSV_COLUMNS]


@dataclass
class Totals:
    """Commitments of one theme or one lead institution: how many, their mean progress
    (percent, rounded) and how many at each completion level."""

    label: str
    commitments: int = 0
    progress_sum: int = 0
    levels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COMPLETION_LEVELS, 0))

    @property
    def mean_progress(self) -> int:
        return round(self.progress_sum / self.commitments) if self.commitments else 0

    def add(self, row: TrackingRow) -> None:
        self.commitments += 1
        self.progress_sum += row.progress
        self.levels[row.completion] += 1


@dataclass
class Tracker:
    rows: list[TrackingRow]
    plans: list[ActionPlan]
    plan: ActionPlan | None
    overall: Totals
    by_theme: list[Totals]
    by_institution: list[Totals]


def tracked_plans() -> list[ActionPlan]:
    """Plans whose commitments the tracker shows (adopted, in implementation, closed),
    newest first."""
    return list(db.session.scalars(
        sa.select(ActionPlan).where(ActionPlan.status.in_(TRACKED_PLAN_STATUSES))
        .order_by(ActionPlan.created_at.desc(), ActionPlan.id.desc())))


def parse_plan(plans: list[ActionPlan], slug: str | None) -> ActionPlan | None:
    """The tracked plan named `slug` (None without one); NotFound for any other slug."""
    if not slug:
        return None
    for plan in plans:
        if plan.slug == slug:
            return plan
    raise NotFound(_("Ese plan no tiene seguimiento de su implementación."))


def tracking_rows(plan_ids: list[int], today: date | None = None) -> list[TrackingRow]:
    """Every commitment of the plans `plan_ids` (plan, then number order) with its progress
    and completion: two queries (the commitments; their milestones counted by status)."""
    if not plan_ids:
        return []
    today = today or local_today()
    commitments = db.session.execute(
        sa.select(Commitment.id, ActionPlan.slug, ActionPlan.title, Commitment.number,
                  Commitment.title, Theme.slug, Theme.name, Commitment.lead_institution,
                  Commitment.progress, Commitment.last_update_at)
        .join(ActionPlan, ActionPlan.id == Commitment.plan_id)
        .join(Theme, Theme.id == Commitment.theme_id)
        .where(Commitment.plan_id.in_(plan_ids))
        .order_by(ActionPlan.created_at.desc(), ActionPlan.id.desc(), Commitment.number)).all()
    overdue = sa.case((sa.and_(Milestone.end_date < today,
                               Milestone.status.not_in(MILESTONE_CLOSED)), 1), else_=0)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # done, counted, overdue
    for commitment_id, status, number, late in db.session.execute(
            sa.select(Milestone.commitment_id, Milestone.status, sa.func.count(),
                      sa.func.sum(overdue))
            .join(Commitment, Commitment.id == Milestone.commitment_id)
            .where(Commitment.plan_id.in_(plan_ids))
            .group_by(Milestone.commitment_id, Milestone.status)):
        entry = counts[commitment_id]
        if status != "withdrawn":
            entry[1] += number
            if status == "completed":
                entry[0] += number
        entry[2] += int(late or 0)
    rows = []
    for (cid, plan, plan_title, number, title, theme, theme_name, institution, progress,
         last_update_at) in commitments:
        done, counted, late = counts[cid]
        rows.append(TrackingRow(
            cid, plan, plan_title, number, title, theme, theme_name, institution or "",
            progress or 0, completion_level(done, counted, progress or 0), done, counted,
            late, last_update_at))
    return rows


def _totals(rows: list[TrackingRow], key) -> list[Totals]:
    groups: dict[str, Totals] = {}
    for row in rows:
        label = key(row) or _("Sin institución responsable")
        groups.setdefault(label, Totals(label)).add(row)
    return sorted(groups.values(), key=lambda totals: totals.label.lower())


def tracker(plan_slug: str | None = None) -> Tracker:
    """/tracking: the rows, overall totals and totals by theme and lead institution. Three
    queries (tracked plans, commitments, milestone counts); NotFound for an unknown plan."""
    plans = tracked_plans()
    plan = parse_plan(plans, plan_slug)
    rows = tracking_rows([plan.id] if plan else [p.id for p in plans])
    overall = Totals(_("Todos los compromisos"))
    for row in rows:
        overall.add(row)
    return Tracker(rows=rows, plans=plans, plan=plan, overall=overall,
                   by_theme=_totals(rows, lambda row: row.theme_name),
                   by_institution=_totals(rows, lambda row: row.lead_institution))


# --- the commitment page ------------------------------------------------------------------

@dataclass
class Timeline:
    updates: list[ProgressUpdate]
    comments: dict[int, list[Comment]]
    total: int
    page: int
    per_page: int

    @property
    def has_older(self) -> bool:
        return self.page * self.per_page < self.total


def timeline(commitment: Commitment, page: int = 1,
             per_page: int = UPDATES_PER_PAGE) -> Timeline:
    """A page of the commitment's progress updates, newest first, each with its milestone
    reports, author and readable comments: four queries."""
    total = db.session.scalar(sa.select(sa.func.count(ProgressUpdate.id)).where(
        ProgressUpdate.commitment_id == commitment.id)) or 0
    updates = list(db.session.scalars(
        sa.select(ProgressUpdate).where(ProgressUpdate.commitment_id == commitment.id)
        .options(joinedload(ProgressUpdate.author),
                 selectinload(ProgressUpdate.milestone_reports))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    comments: dict[int, list[Comment]] = defaultdict(list)
    if updates:
        for comment in db.session.scalars(
                sa.select(Comment).options(joinedload(Comment.author))
                .where(Comment.update_id.in_([update.id for update in updates]),
                       Comment.hidden.is_(False), Comment.deleted_at.is_(None))
                .order_by(Comment.created_at, Comment.id)):
            comments[comment.update_id].append(comment)
    return Timeline(updates, comments, total, page, per_page)


def stewards_of(commitment: Commitment) -> list[User]:
    """The stewards' accounts, by name (no query when the stewards were loaded with their
    users, as the commitment page does)."""
    return sorted((steward.user for steward in commitment.stewards),
                  key=lambda user: user.display_name.lower())


def follow_state(commitment_id: int, user) -> tuple[int, bool]:
    """(how many follow the commitment, whether `user` does): one query."""
    user_id = user.id if user is not None and user.is_authenticated else -1
    count, mine = db.session.execute(
        sa.select(sa.func.count(CommitmentFollower.id),
                  sa.func.coalesce(sa.func.sum(sa.case(
                      (CommitmentFollower.user_id == user_id, 1), else_=0)), 0))
        .where(CommitmentFollower.commitment_id == commitment_id)).one()
    return int(count or 0), bool(mine)


# --- the admin dashboard ------------------------------------------------------------------

@dataclass(frozen=True)
class OverdueMilestone:
    milestone_id: int
    description: str
    end_date: date
    status: str
    commitment_id: int
    commitment_number: int
    commitment_title: str
    plan_title: str


def overdue_milestones(today: date | None = None, limit: int = 100) -> list[OverdueMilestone]:
    """Milestones of plans taking progress updates whose end date has passed and that are
    neither completed nor withdrawn, the longest overdue first: one query."""
    today = today or local_today()
    rows = db.session.execute(
        sa.select(Milestone.id, Milestone.description, Milestone.end_date, Milestone.status,
                  Commitment.id, Commitment.number, Commitment.title, ActionPlan.title)
        .join(Commitment, Commitment.id == Milestone.commitment_id)
        .join(ActionPlan, ActionPlan.id == Commitment.plan_id)
        .where(ActionPlan.status.in_(("adopted", "implementation")),
               Milestone.end_date < today, Milestone.status.not_in(MILESTONE_CLOSED))
        .order_by(Milestone.end_date, Commitment.number, Milestone.position)
        .limit(limit))
    return [OverdueMilestone(*row) for row in rows]
