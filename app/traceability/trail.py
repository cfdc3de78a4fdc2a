"""The trail of a commitment (issue 18, "Traceability"): where it comes from and its record.

`trail_of(commitment)` gathers, in a constant number of queries whatever the amount of data:
- the source proposals (visible ones) with their supports, comment counts and newest comments,
  and the proposals merged into them;
- the public moderation decisions on those proposals with their reasoned responses;
- the co-creation mesas of the commitment's theme with their public documents (agenda,
  minutes, attendance list);
- the documents filed for the commitment (evidence, reports);
- consultation dispositions and progress updates: other features add them as `Section`s
  through `@trail_section` (the consultation, issue 16; progress updates, issue 17).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select, union_all
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Comment, Commitment, Document, Mesa, ModerationAction, Proposal
from app.models.document import DOCUMENT_TYPES
from app.models.plan import commitment_sources
from app.repository.services import MesaDocuments, documents_by_mesa

RECENT_COMMENTS = 3  # newest visible comments shown under each source proposal
# Documents shown for the commitment (for each mesa: repository.services.MESA_DOCUMENTS); the
# rest are one link away, in the repository filtered by that commitment or mesa.
COMMITMENT_DOCUMENTS = 10
TYPE_ORDER = {kind: position for position, kind in enumerate(DOCUMENT_TYPES)}


@dataclass
class SourceProposal:
    proposal: Proposal
    recent_comments: list[Comment] = field(default_factory=list)
    merged: list[Proposal] = field(default_factory=list)  # folded into this one


@dataclass
class MesaRecord:
    mesa: Mesa
    documents: MesaDocuments = field(default_factory=MesaDocuments)  # .more: there are more


@dataclass
class Section:
    """A part of the trail owned by another feature: `template` renders `items` (and
    `extra`) under `title`; `key` is its anchor."""

    key: str
    title: str
    template: str
    items: list
    extra: dict = field(default_factory=dict)


@dataclass
class Trail:
    commitment: Commitment
    sources: list[SourceProposal]
    decisions: list[tuple[ModerationAction, Proposal]]
    mesas: list[MesaRecord]
    documents: list[Document]
    sections: list[Section] = field(default_factory=list)
    more_documents: bool = False  # more than COMMITMENT_DOCUMENTS


TRAIL_SECTIONS: list[Callable[[Commitment], Section | None]] = []


def trail_section(provider: Callable[[Commitment], Section | None]):
    """Register a provider of another part of the trail (a decorator). Progress updates
    (issue 17) join here: a provider returning Section("avances", ..., items=updates)."""
    TRAIL_SECTIONS.append(provider)
    return provider


def _proposals(commitment: Commitment) -> tuple[list[Proposal], list[Proposal]]:
    """(visible sources, visible proposals merged into a source), one query."""
    sources = (select(commitment_sources.c.proposal_id)
               .where(commitment_sources.c.commitment_id == commitment.id))
    # Read by id (an OR of the two tests made SQLite walk every visible proposal in vote
    # order). Finding the merged ones still reads the whole table: proposals.merged_into_id
    # has no index.
    merged = select(Proposal.id).where(Proposal.merged_into_id.in_(sources))
    rows = db.session.execute(
        select(Proposal, Proposal.id.in_(sources).label("is_source"))
        .where(Proposal.hidden.is_(False), Proposal.id.in_(union_all(sources, merged)))
        .options(joinedload(Proposal.author))
        .order_by(Proposal.vote_count.desc(), Proposal.id)).all()
    return ([proposal for proposal, is_source in rows if is_source],
            [proposal for proposal, is_source in rows if not is_source])


def _recent_comments(proposal_ids: list[int]) -> dict[int, list[Comment]]:
    """The newest visible top-level comments of each proposal, at most RECENT_COMMENTS each:
    one query, one `LIMIT` per proposal walking ix_comments_proposal_created backwards, so a
    thread of thousands costs what one of ten does (a window over every comment of the
    sources took 570 ms at national scale)."""
    newest = [select(Comment.id).where(
        Comment.proposal_id == proposal_id, Comment.hidden.is_(False),
        Comment.deleted_at.is_(None), Comment.parent_id.is_(None))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(RECENT_COMMENTS).subquery() for proposal_id in proposal_ids]
    if not newest:
        return {}
    chosen = union_all(*(select(page.c.id) for page in newest))
    found: dict[int, list[Comment]] = {}
    for comment in db.session.scalars(
            select(Comment).where(Comment.id.in_(chosen))
            .options(joinedload(Comment.author))
            .order_by(Comment.created_at.desc(), Comment.id.desc())):
        found.setdefault(comment.proposal_id, []).append(comment)
    return found


def _decisions(proposals: dict[int, Proposal]) -> list[tuple[ModerationAction, Proposal]]:
    actions = db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.action == "decision", ModerationAction.public.is_(True),
               ModerationAction.target_type == "proposal",
               ModerationAction.target_id.in_(list(proposals)))
        .options(joinedload(ModerationAction.moderator))
        .order_by(ModerationAction.created_at, ModerationAction.id))
    return [(action, proposals[action.target_id]) for action in actions]


def _mesas(commitment: Commitment) -> list[MesaRecord]:
    """The theme's mesas not cancelled, each with its first public documents (agenda and
    minutes first) and whether it has more: two queries."""
    mesas = list(db.session.scalars(
        select(Mesa).where(Mesa.theme_id == commitment.theme_id, Mesa.cancelled_at.is_(None))
        .options(joinedload(Mesa.theme)).order_by(Mesa.starts_at, Mesa.id)))
    documents = documents_by_mesa(mesa.id for mesa in mesas)
    return [MesaRecord(mesa, documents.get(mesa.id, MesaDocuments())) for mesa in mesas]


def _documents(commitment: Commitment) -> tuple[list[Document], bool]:
    """The commitment's newest COMMITMENT_DOCUMENTS public documents, and whether it has
    more."""
    documents = list(db.session.scalars(
        select(Document).where(Document.commitment_id == commitment.id,
                               Document.withdrawn_at.is_(None))
        .order_by(Document.document_date.desc(), Document.id.desc())
        .limit(COMMITMENT_DOCUMENTS + 1)))
    return documents[:COMMITMENT_DOCUMENTS], len(documents) > COMMITMENT_DOCUMENTS


def trail_of(commitment: Commitment) -> Trail:
    """The whole trail of `commitment` (see the module's docstring): at most five queries,
    plus those of the registered sections, however many proposals, comments, decisions,
    mesas and documents it holds. Hidden proposals and comments, cancelled mesas and
    withdrawn documents are left out."""
    sources, merged = _proposals(commitment)
    recent = _recent_comments([proposal.id for proposal in sources]) if sources else {}
    entries = {proposal.id: SourceProposal(proposal, recent.get(proposal.id, []))
               for proposal in sources}
    for proposal in merged:
        entries[proposal.merged_into_id].merged.append(proposal)
    everyone = {proposal.id: proposal for proposal in (*sources, *merged)}
    decisions = _decisions(everyone) if everyone else []
    sections = [section for provider in TRAIL_SECTIONS
                if (section := provider(commitment)) is not None]
    documents, more_documents = _documents(commitment)
    return Trail(commitment, list(entries.values()), decisions, _mesas(commitment),
                 documents, sections, more_documents)

