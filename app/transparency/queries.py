"""The public log of moderation and participation statistics: GROUP BY, constant queries.

The log reads only ModerationAction rows marked public; flags (and so who reported what) are
never read here.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, select, union
from sqlalchemy.orm import joinedload

from app import cache
from app.extensions import db
from app.models import Comment, ModerationAction, Proposal, Theme, User, Vote
from app.models.user import SECTORS

LOG_PER_PAGE = 50
MAX_LOG_PAGE = 10_000


@dataclass
class Row:
    key: str
    label: str
    participants: int = 0
    proposals: int = 0
    supports: int = 0
    comments: int = 0


@dataclass
class LogPage:
    entries: list[tuple[ModerationAction, Proposal | None]]
    page: int
    has_older: bool

    @property
    def has_newer(self) -> bool:
        return self.page > 1


def public_log(page: int = 1, per_page: int = LOG_PER_PAGE) -> LogPage:
    """One page of the decisions, hides and restores, newest first, each with its proposal
    when it has one: two queries. Every decision stays reachable, page after page."""
    rows = list(db.session.scalars(
        select(ModerationAction).where(ModerationAction.public.is_(True))
        .options(joinedload(ModerationAction.moderator))
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(per_page + 1).offset((page - 1) * per_page)))
    entries, has_older = rows[:per_page], len(rows) > per_page
    ids = {e.target_id for e in entries if e.target_type == "proposal"}
    proposals = {}
    if ids:
        proposals = {p.id: p for p in db.session.scalars(
            select(Proposal).where(Proposal.id.in_(ids)))}
    return LogPage(
        [(entry, proposals.get(entry.target_id) if entry.target_type == "proposal" else None)
         for entry in entries], page, has_older)


def _visible_comments():
    return Comment.hidden.is_(False), Comment.deleted_at.is_(None)


def by_sector(labels: dict) -> list[Row]:
    """Participants, proposals, supports and comments per sector (labels in this request's
    language; the counts are cached, see `_sector_counts`)."""
    return [Row(sector, str(labels[sector]), *counts)
            for sector, counts in _cached("sector_counts", _sector_counts).items()]


@dataclass
class AttendanceRow:
    key: str
    label: str
    registered: int
    attended: int


def attendance_by_sector(labels: dict) -> list[AttendanceRow]:
    """Seats taken and attendance recorded at the mesas, per sector (cached as the rest)."""
    from app.mesas.services import attendance_by_sector as per_sector

    def compute():
        return tuple((row.sector, row.registered, row.attended) for row in per_sector())

    return [AttendanceRow(sector, str(labels[sector]), registered, attended)
            for sector, registered, attended in _cached("attendance", compute)]


def by_theme() -> list[Row]:
    return [Row(*row) for row in _cached("theme_rows", _theme_rows)]


def _cached(key: str, compute):
    """The statistics aggregate every support and comment (seconds at national scale): they
    are kept per process for TRANSPARENCY_CACHE_SECONDS (300 s; 0 in the tests)."""
    return cache.cached("TRANSPARENCY_CACHE_SECONDS", key, compute)


def _sector_counts() -> dict[str, tuple[int, int, int, int]]:
    rows = {sector: Row(sector, sector) for sector in SECTORS}
    for sector, count in db.session.execute(
        select(User.sector, func.count(User.id))
        .where(User.deleted_at.is_(None)).group_by(User.sector)):
        rows[sector].participants = count
    for sector, count in db.session.execute(
        select(User.sector, func.count(Proposal.id)).join(User, Proposal.author_id == User.id)
        .where(Proposal.hidden.is_(False)).group_by(User.sector)):
        rows[sector].proposals = count
    for sector, count in db.session.execute(
        select(User.sector, func.count(Vote.id)).join(User, Vote.user_id == User.id)
        .group_by(User.sector)):
        rows[sector].supports = count
    for sector, count in db.session.execute(
        select(User.sector, func.count(Comment.id)).join(User, Comment.author_id == User.id)
        .where(*_visible_comments()).group_by(User.sector)):
        rows[sector].comments = count
    return {sector: (row.participants, row.proposals, row.supports, row.comments)
            for sector, row in rows.items()}


def _theme_rows() -> tuple[tuple, ...]:
    from app.plans.services import current_plan_id_subquery

    themes = db.session.scalars(select(Theme).where(Theme.plan_id == current_plan_id_subquery())
                                .order_by(Theme.position)).all()
    rows = {theme.id: Row(theme.slug, theme.name) for theme in themes}
    for theme_id, count, supports in db.session.execute(
        select(Proposal.theme_id, func.count(Proposal.id), func.sum(Proposal.vote_count))
        .where(Proposal.hidden.is_(False)).group_by(Proposal.theme_id)):
        if theme_id in rows:
            rows[theme_id].proposals, rows[theme_id].supports = count, supports or 0
    for theme_id, count in db.session.execute(
        select(Proposal.theme_id, func.count(Comment.id))
        .join(Proposal, Comment.proposal_id == Proposal.id)
        .where(*_visible_comments(), Proposal.hidden.is_(False)).group_by(Proposal.theme_id)):
        if theme_id in rows:
            rows[theme_id].comments = count
    people = union(
        select(Proposal.author_id.label("user_id"), Proposal.theme_id.label("theme_id"),
               literal(1).label("k")),
        select(Vote.user_id, Vote.theme_id, literal(2)),
        select(Comment.author_id, Proposal.theme_id, literal(3))
        .join(Proposal, Comment.proposal_id == Proposal.id),
    ).subquery()
    for theme_id, count in db.session.execute(
        select(people.c.theme_id, func.count(func.distinct(people.c.user_id)))
        .group_by(people.c.theme_id)):
        if theme_id in rows:
            rows[theme_id].participants = count
    return tuple((row.key, row.label, row.participants, row.proposals, row.supports,
                  row.comments) for row in rows.values())


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: float


def bars(rows: list[Row], attribute: str, width: int = 460, height: int = 26) -> list[Bar]:
    """Bar geometry for the server-rendered SVG chart (sizes as attributes, no style)."""
    top = max((getattr(row, attribute) for row in rows), default=0) or 1
    return [Bar(row.label, getattr(row, attribute), index * height,
                round(getattr(row, attribute) / top * width, 1))
            for index, row in enumerate(rows)]
