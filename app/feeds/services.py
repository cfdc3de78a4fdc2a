"""What each feed lists: the newest visible items, as plain data for app.feeds.atom."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import PlanVersion, Proposal, Theme
from app.plans.services import current_plan_id_subquery

FEED_SIZE = 50  # entries per feed: readers poll often, and the site keeps the whole record
DECIDED = ("accepted", "merged", "rejected")


def new_proposals(theme: Theme, limit: int = FEED_SIZE) -> list[Proposal]:
    """The theme's newest visible proposals, newest first (author loaded)."""
    return list(db.session.scalars(
        select(Proposal)
        .options(joinedload(Proposal.author))
        .where(Proposal.theme_id == theme.id, Proposal.hidden.is_(False))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        .limit(limit)
    ))


def decisions(limit: int = FEED_SIZE) -> list[Proposal]:
    """Visible proposals with a final decision (accepted, merged, rejected), latest first."""
    return list(db.session.scalars(
        select(Proposal)
        .options(joinedload(Proposal.theme))
        .where(Proposal.hidden.is_(False), Proposal.status.in_(DECIDED),
               Proposal.decided_at.is_not(None))
        .order_by(Proposal.decided_at.desc(), Proposal.id.desc())
        .limit(limit)
    ))


def plan_versions(limit: int = FEED_SIZE) -> list[PlanVersion]:
    """Published snapshots of the current plan's draft (the ones /plan/versions/<number>
    shows), latest first."""
    return list(db.session.scalars(
        select(PlanVersion)
        .where(PlanVersion.plan_id == current_plan_id_subquery())
        .order_by(PlanVersion.published_at.desc(), PlanVersion.id.desc())
        .limit(limit)
    ))
