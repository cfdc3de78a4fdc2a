"""The one serialization of the plan draft: /plan/export.json = /api/v1/plan, and snapshots.

Every export (Markdown, CSV, PDF, HTML) renders from this document, so a published version
(whose snapshot is this same dict) can be shown and downloaded exactly like the live draft.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ActionPlan, Commitment, Theme
from app.tracking.completion import commitment_completion


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def load_commitments(plan: ActionPlan) -> list[Commitment]:
    """The plan's commitments in number order, with everything a document shows: 4 queries."""
    return list(db.session.scalars(
        select(Commitment)
        .where(Commitment.plan_id == plan.id)
        .join(Theme, Commitment.theme_id == Theme.id)
        .options(selectinload(Commitment.theme), selectinload(Commitment.milestones),
                 selectinload(Commitment.source_proposals))
        .order_by(Commitment.number)
    ))


def commitment_document(commitment: Commitment) -> dict:
    # Hidden content never appears in public documents, the plan's origins included.
    sources = [proposal for proposal in commitment.source_proposals if not proposal.hidden]
    return {
        "id": commitment.id,
        "number": commitment.number,
        "theme": commitment.theme.slug,
        "theme_name": commitment.theme.name,
        "title": commitment.title,
        "problem": commitment.problem,
        "cause": commitment.cause,
        "description": commitment.description,
        "contribution": commitment.contribution,
        "ogp_values": list(commitment.ogp_values or []),
        "lead_institution": commitment.lead_institution,
        "partners": commitment.partners,
        "contact": {
            "name": commitment.contact_name,
            "role": commitment.contact_role,
        },
        "start_date": _day(commitment.start_date),
        "end_date": _day(commitment.end_date),
        "milestones": [
            {
                "description": milestone.description,
                "deliverable": milestone.deliverable,
                "start_date": _day(milestone.start_date),
                "end_date": _day(milestone.end_date),
                "responsible": milestone.responsible,
            }
            for milestone in commitment.milestones
        ],
        "source_proposals": [proposal.id for proposal in sources],
        "source_support_count": sum(proposal.vote_count for proposal in sources),
        # Implementation tracking (app/tracking/completion.py): no query, milestones loaded.
        "progress": commitment.progress or 0,
        "completion": commitment_completion(commitment),
    }


def without_emails(document: dict) -> dict:
    """`document` without contact emails (versions published before they were left out)."""
    commitments = [{**c, "contact": {k: v for k, v in c.get("contact", {}).items()
                                     if k != "email"}}
                   for c in document.get("commitments", [])]
    return {**document, "commitments": commitments}


def plan_document(plan: ActionPlan) -> dict:
    """The plan draft as plain JSON-ready data; a constant number of queries.

    It is public open data (/plan/export.json is /api/v1/plan): no email address, not even
    the commitment's contact's (name and role only). app/api/openapi.py describes it exactly.
    """
    return {
        "slug": plan.slug,
        "title": plan.title,
        "period": plan.period,
        "intro": plan.intro,
        "commitments": [commitment_document(c) for c in load_commitments(plan)],
    }
