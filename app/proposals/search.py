"""Full-text search over proposal title, problem and description."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.sql import Select

from app.models import Proposal


def matching_ids(q: str) -> Select:
    """A subquery of the ids of proposals matching `q`.

    Placeholder until the indexed implementation (FTS5 / tsvector) lands with the proposals
    issue: a LIKE scan, correct but not fit for the hot path.
    """
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return select(Proposal.id).where(or_(
        Proposal.title.ilike(pattern, escape="\\"),
        Proposal.problem.ilike(pattern, escape="\\"),
        Proposal.description.ilike(pattern, escape="\\"),
    ))
