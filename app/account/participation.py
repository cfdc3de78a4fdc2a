"""What became of each contribution of a participant ("how your input was used", OGP).

`participation_of(user)` gathers the person's proposals (status, reasoned response, the
proposal it was merged into, the plan commitments it fed through `commitment_sources`),
comments (the proposal's fate, or the moderation reason when hidden) and mesa registrations
(registered, waitlisted, attended). A constant number of queries whatever the number of
contributions (one per kind, plus one for the commitments).

Extension point: features that add contributions of their own (consultation comments on the
plan draft, issue 16) register a provider with `@contribution_section`; it receives the user
and returns a `Section` (or None) that the page renders with the section's own template.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Comment, Commitment, Mesa, MesaRegistration, Proposal, User
from app.models.plan import commitment_sources


@dataclass
class ProposalOutcome:
    proposal: Proposal
    # The commitments it fed: directly, or through the proposal it was merged into.
    commitments: list[Commitment] = field(default_factory=list)


@dataclass
class CommentOutcome:
    comment: Comment
    proposal: Proposal


@dataclass
class Section:
    """Contributions of another kind: `template` renders `items` under `title`."""

    key: str
    title: str
    template: str
    items: list


@dataclass
class Participation:
    proposals: list[ProposalOutcome]
    comments: list[CommentOutcome]
    registrations: list[MesaRegistration]
    sections: list[Section] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (len(self.proposals) + len(self.comments) + len(self.registrations)
                + sum(len(section.items) for section in self.sections))


SECTION_PROVIDERS: list[Callable[[User], Section | None]] = []


def contribution_section(provider: Callable[[User], Section | None]):
    """Register a provider of another kind of contribution (a decorator)."""
    SECTION_PROVIDERS.append(provider)
    return provider


def _commitments_of(proposal_ids: set[int]) -> dict[int, list[Commitment]]:
    if not proposal_ids:
        return {}
    found: dict[int, list[Commitment]] = {}
    rows = db.session.execute(
        select(commitment_sources.c.proposal_id, Commitment)
        .join(Commitment, Commitment.id == commitment_sources.c.commitment_id)
        .where(commitment_sources.c.proposal_id.in_(proposal_ids))
        .order_by(Commitment.plan_id, Commitment.number))
    for proposal_id, commitment in rows:
        found.setdefault(proposal_id, []).append(commitment)
    return found


def participation_of(user: User) -> Participation:
    """Every proposal, comment and mesa registration of `user`, newest first, with what
    became of it. Deleted comments (removed by their author) are left out."""
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.author_id == user.id)
        .options(joinedload(Proposal.theme), joinedload(Proposal.merged_into))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())).all()
    fed = _commitments_of({p.id for p in proposals}
                          | {p.merged_into_id for p in proposals if p.merged_into_id})
    outcomes = [ProposalOutcome(p, fed.get(p.id) or fed.get(p.merged_into_id) or [])
                for p in proposals]
    comments = [CommentOutcome(comment, proposal) for comment, proposal in db.session.execute(
        select(Comment, Proposal).join(Proposal, Proposal.id == Comment.proposal_id)
        .where(Comment.author_id == user.id, Comment.deleted_at.is_(None))
        .order_by(Comment.created_at.desc(), Comment.id.desc()))]
    registrations = db.session.scalars(
        select(MesaRegistration).where(MesaRegistration.user_id == user.id)
        .options(joinedload(MesaRegistration.mesa).joinedload(Mesa.theme))
        .order_by(MesaRegistration.created_at.desc())).all()
    sections = [section for provider in SECTION_PROVIDERS
                if (section := provider(user)) is not None]
    return Participation(outcomes, comments, list(registrations), sections)
