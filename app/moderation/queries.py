"""What the moderation queue shows; a constant number of queries whatever its length."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from app.errors import NotFound
from app.extensions import db
from app.models import ActionPlan, Comment, Flag, ModerationAction, Proposal, Theme, User
from app.models.proposal import PROPOSAL_STATUSES
from app.proposals.queries import Page, forgiving_int, ids_with_status, theme_by_slug

# The queue's windows: the oldest reported content and the newest hidden content. A queue is
# worked from its head; each window costs a page whatever the backlog (it listed 100 reported
# and 2 x 50 hidden items, ~870 Python calls each: 3x the page at national scale).
QUEUE_LIMIT = 30
HIDDEN_LIMIT = 20
PER_PAGE = 30
AWAITING = ("open", "under_review")
DECIDED = ("accepted", "merged", "rejected")
assert set(AWAITING + DECIDED) == set(PROPOSAL_STATUSES)


@dataclass
class FlaggedItem:
    target_type: str
    target_id: int
    count: int
    first_at: datetime
    target: Proposal | Comment | None = None
    reasons: dict[str, int] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)


def flagged_items(limit: int | None = None) -> list[FlaggedItem]:
    """Content with open reports, oldest report first (at most `limit`, QUEUE_LIMIT by
    default): four queries."""
    limit = limit or QUEUE_LIMIT
    rows = db.session.execute(
        select(Flag.target_type, Flag.target_id, func.count(Flag.id), func.min(Flag.created_at))
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.target_type, Flag.target_id)
        .order_by(func.min(Flag.created_at), Flag.target_type, Flag.target_id)
        .limit(limit)
    ).all()
    items = {(t, i): FlaggedItem(t, i, n, first) for t, i, n, first in rows}
    if not items:
        return []
    proposal_ids = [i for t, i in items if t == "proposal"]
    comment_ids = [i for t, i in items if t == "comment"]
    # One IN list per target type, which ix_flags_open serves (SQLite scans every open flag
    # for a row-value IN over the (type, id) pairs).
    of_items = or_(*(and_(Flag.target_type == target_type, Flag.target_id.in_(ids))
                     for target_type, ids in (("proposal", proposal_ids),
                                              ("comment", comment_ids)) if ids))
    for target_type, target_id, reason, details in db.session.execute(
        select(Flag.target_type, Flag.target_id, Flag.reason, Flag.details)
        .where(Flag.resolved_at.is_(None), of_items)
        .order_by(Flag.created_at)
    ):
        item = items[(target_type, target_id)]
        item.reasons[reason] = item.reasons.get(reason, 0) + 1
        if details:
            item.details.append(details)
    if proposal_ids:
        for proposal in db.session.scalars(select(Proposal).where(Proposal.id.in_(proposal_ids))
                                           .options(joinedload(Proposal.author))):
            items[("proposal", proposal.id)].target = proposal
    if comment_ids:
        for comment in db.session.scalars(select(Comment).where(Comment.id.in_(comment_ids))
                                          .options(joinedload(Comment.author),
                                                   joinedload(Comment.proposal),
                                                   joinedload(Comment.commitment))):
            items[("comment", comment.id)].target = comment
    return [item for item in items.values() if item.target is not None]


@dataclass(frozen=True)
class QueueFilters:
    theme: Theme | None = None
    status: str | None = None
    page: int = 1


def parse_queue_filters(args) -> QueueFilters:
    """The queue's filters; a mistyped one falls back to its default (an HTML page: never an
    error page for a query string)."""
    theme = None
    if args.get("theme"):
        try:
            theme = theme_by_slug(args["theme"])
        except NotFound:
            theme = None
    status = args.get("status") or None
    if status not in PROPOSAL_STATUSES:
        status = None
    return QueueFilters(theme, status, forgiving_int(args.get("page"), 1, 1, 10_000))


def count_proposals(status: str | None = None, theme_id: int | None = None,
                    plan_id: int | None = None) -> int:
    """Visible proposals of `status` (None: awaiting a decision), of a theme or a plan or all:
    one query that never reads every proposal.

    The visible proposals are the themes' stored `proposal_count` (app/proposals/counters.py);
    the statuses other than `open` are few (decisions), so they are counted through
    `ids_with_status` and read by primary key, and `open` ones are the difference."""
    if status in (None, "open"):
        subtract = DECIDED if status is None else tuple(
            value for value in PROPOSAL_STATUSES if value != "open")
    else:
        subtract = (status,)
    themes = select(Theme.id)
    if theme_id is not None:
        themes = themes.where(Theme.id == theme_id)
    if plan_id is not None:
        themes = themes.where(Theme.plan_id == plan_id)
    counted = (select(func.count(Proposal.id))
               .where(Proposal.id.in_(ids_with_status(subtract)), Proposal.hidden.is_(False)))
    if theme_id is not None or plan_id is not None:
        counted = counted.where(Proposal.theme_id.in_(themes))
    if status not in (None, "open"):
        return db.session.scalar(counted) or 0
    visible = (select(func.coalesce(func.sum(Theme.proposal_count), 0))
               .where(Theme.id.in_(themes)))
    return db.session.scalar(select(visible.scalar_subquery() - counted.scalar_subquery())) or 0


def awaiting_decision(filters: QueueFilters) -> Page:
    """Visible proposals waiting for a decision (or of the chosen status), most supported first.

    Two queries whatever the number of proposals: the total from the stored counters
    (`count_proposals`), the page through the listing's vote-order index."""
    statement = select(Proposal).where(Proposal.hidden.is_(False))
    if filters.status:
        statement = statement.where(Proposal.status == filters.status)
    else:
        statement = statement.where(Proposal.status.in_(AWAITING))
    if filters.theme is not None:
        statement = statement.where(Proposal.theme_id == filters.theme.id)
    total = count_proposals(filters.status, filters.theme.id if filters.theme else None)
    items = list(db.session.scalars(
        statement.options(joinedload(Proposal.theme).joinedload(Theme.plan),
                          joinedload(Proposal.author))
        .order_by(Proposal.vote_count.desc(), Proposal.id)
        .limit(PER_PAGE).offset((filters.page - 1) * PER_PAGE)))
    return Page(items=items, total=total, page=filters.page, per_page=PER_PAGE)


def hidden_content(limit: int | None = None) -> tuple[list[Proposal], list[Comment]]:
    """The newest hidden proposals and comments, at most `limit` of each (HIDDEN_LIMIT)."""
    limit = limit or HIDDEN_LIMIT
    proposals = list(db.session.scalars(
        select(Proposal).where(Proposal.hidden.is_(True))
        .order_by(Proposal.hidden_at.desc(), Proposal.id.desc()).limit(limit)))
    comments = list(db.session.scalars(
        select(Comment).where(Comment.hidden.is_(True))
        .options(joinedload(Comment.author), joinedload(Comment.proposal),
                 joinedload(Comment.commitment))
        .order_by(Comment.id.desc()).limit(limit)))
    return proposals, comments


def blocked_users(limit: int = 100) -> list[User]:
    """Blocked accounts, by id. No index covers `blocked_reason` (a filter on it reads every
    account: 50,000 rows at national scale), so the candidates are the accounts the
    moderation log says were blocked (`services.block_user` logs every block; the log's
    target index finds them), read by primary key. One query."""
    ever_blocked = (select(ModerationAction.target_id)
                    .where(ModerationAction.target_type == "user",
                           ModerationAction.action == "block"))
    return list(db.session.scalars(
        select(User).where(User.id.in_(ever_blocked), User.blocked_reason.is_not(None))
        .order_by(User.id).limit(limit)))


def themes() -> list[Theme]:
    """Every plan's themes for the queue's filter, the current plan's first and then the
    others newest first, each with its plan loaded: the queue lists proposals of every plan (a
    previous plan's proposal may still await its decision), so the filter offers them too, in
    one group per plan (moderation/queue.html). One query."""
    return list(db.session.scalars(
        select(Theme).join(Theme.plan).options(contains_eager(Theme.plan))
        .order_by(ActionPlan.is_current.desc(), ActionPlan.id.desc(), Theme.position)))
