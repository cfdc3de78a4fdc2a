"""The one serialization of the plan draft: /plan/export.json = /api/v1/plan, and snapshots.

Every export (Markdown, CSV, PDF, HTML) renders from this document, so a published version
(whose snapshot is this same dict) can be shown and downloaded exactly like the live draft.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import ActionPlan, Commitment, Milestone, Proposal, Theme
from app.models.plan import commitment_sources
from app.tracking.completion import commitment_completion


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


class _Row:
    """A commitment (or its theme) as plain attributes: no ORM identity, no lazy loads."""

    milestones: list
    source_proposals: list

    def __init__(self, mapping, **extra):
        self.__dict__.update(mapping, **extra)

    def __getattr__(self, name: str) -> Any:  # for the type checker: columns are dynamic
        raise AttributeError(name)


def load_commitments(plan: ActionPlan) -> list[_Row]:
    """The plan's commitments in number order, with everything a document shows: 3 queries.

    Plain rows, not ORM objects: /plan, the API and the exports read forty commitments, their
    milestones and source proposals on every request, and building ~250 tracked instances
    (source proposals with all their text) cost more than rendering them. Each returned
    object has the `commitments` columns as attributes plus `theme` (`slug`, `name`),
    `milestones` (in position order) and `source_proposals` (`id`, `hidden`, `vote_count`,
    in id order).
    """
    commitments, themes = Commitment.__table__, Theme.__table__
    milestones, proposals = Milestone.__table__, Proposal.__table__
    in_plan = select(commitments.c.id).where(commitments.c.plan_id == plan.id)
    rows = db.session.execute(
        select(commitments, themes.c.slug.label("_theme_slug"),
               themes.c.name.label("_theme_name"))
        .join(themes, commitments.c.theme_id == themes.c.id)
        .where(commitments.c.plan_id == plan.id)
        .order_by(commitments.c.number)
    ).mappings().all()
    by_id: dict[int, _Row] = {}
    for mapping in rows:
        values = dict(mapping)
        theme = _Row({"slug": values.pop("_theme_slug"), "name": values.pop("_theme_name")})
        by_id[mapping["id"]] = _Row(values, theme=theme, milestones=[], source_proposals=[])
    if not by_id:
        return []
    for row in db.session.execute(
        select(milestones).where(milestones.c.commitment_id.in_(in_plan))
        .order_by(milestones.c.commitment_id, milestones.c.position, milestones.c.id)
    ):
        by_id[row.commitment_id].milestones.append(row)
    for row in db.session.execute(
        select(commitment_sources.c.commitment_id, proposals.c.id, proposals.c.hidden,
               proposals.c.vote_count)
        .join(proposals, proposals.c.id == commitment_sources.c.proposal_id)
        .where(commitment_sources.c.commitment_id.in_(in_plan))
        .order_by(commitment_sources.c.commitment_id, proposals.c.id)
    ):
        by_id[row.commitment_id].source_proposals.append(row)
    return list(by_id.values())


def commitment_document(commitment) -> dict:
    """One commitment of `load_commitments` as the document's JSON-ready dict."""
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
