"""Public JSON documents: the one place that decides what the open-data API shows.

Authors appear with display name and sector only (never the email); callers pass visible
(not hidden) rows only. Timestamps are ISO 8601 with their UTC offset.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ActionPlan, Comment, Commitment, Proposal, User
from app.proposals.queries import ThemeSummary

PROPOSAL_FIELDS = (
    "id", "theme", "title", "problem", "cause", "description", "contribution", "ogp_values",
    "lead_institution", "partners", "status", "response", "vote_count", "comment_count",
    "author", "created_at", "updated_at", "url",
)


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def author_document(user: User) -> dict:
    return {"display_name": user.display_name, "sector": user.sector}


def theme_document(summary: ThemeSummary) -> dict:
    theme = summary.theme
    return {"slug": theme.slug, "name": theme.name, "description": theme.description,
            "position": theme.position, "proposal_count": summary.proposal_count,
            "vote_count": int(summary.vote_count)}


def proposal_document(proposal: Proposal) -> dict:
    """A visible proposal; its theme and author should be loaded with it (no N+1)."""
    return {
        "id": proposal.id,
        "theme": proposal.theme.slug,
        "title": proposal.title,
        "problem": proposal.problem,
        "cause": proposal.cause or "",
        "description": proposal.description,
        "contribution": proposal.contribution or "",
        "ogp_values": list(proposal.ogp_values or []),
        "lead_institution": proposal.lead_institution or "",
        "partners": proposal.partners or "",
        "status": proposal.status,
        "response": proposal.response,
        "vote_count": proposal.vote_count,
        "comment_count": proposal.comment_count,
        "author": author_document(proposal.author),
        "created_at": iso(proposal.created_at),
        "updated_at": iso(proposal.updated_at),
        "url": url_for("proposals.detail", proposal_id=proposal.id, _external=True),
    }


def comment_document(comment: Comment) -> dict:
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "body": comment.body,
        "body_html": comment.body_html,
        "alignment": comment.alignment,
        "author": author_document(comment.author),
        "created_at": iso(comment.created_at),
    }


def api_plan_document(plan: ActionPlan) -> dict:
    """The plan draft: accepted commitments traced to their (visible) source proposals.

    A minimal stand-in for `app.plan.serializers.plan_document`, used until that lands.
    Contact emails of commitments are left out, like every email in the API.
    """
    commitments = db.session.scalars(
        select(Commitment)
        .where(Commitment.plan_id == plan.id)
        .options(selectinload(Commitment.theme), selectinload(Commitment.milestones),
                 selectinload(Commitment.source_proposals))
        .order_by(Commitment.number)
    ).all()
    return {
        "title": plan.title,
        "period": plan.period,
        "status": plan.status,
        "commitments": [_commitment_document(commitment) for commitment in commitments],
    }


def _commitment_document(commitment: Commitment) -> dict:
    return {
        "number": commitment.number,
        "theme": commitment.theme.slug,
        "title": commitment.title,
        "problem": commitment.problem,
        "cause": commitment.cause,
        "description": commitment.description,
        "contribution": commitment.contribution,
        "ogp_values": list(commitment.ogp_values or []),
        "lead_institution": commitment.lead_institution,
        "partners": commitment.partners,
        "start_date": iso(commitment.start_date),
        "end_date": iso(commitment.end_date),
        "milestones": [
            {"description": m.description, "deliverable": m.deliverable,
             "start_date": iso(m.start_date), "end_date": iso(m.end_date),
             "responsible": m.responsible}
            for m in commitment.milestones
        ],
        "source_proposals": [p.id for p in commitment.source_proposals if not p.hidden],
    }


CSV_COLUMNS = (
    "id", "theme", "title", "problem", "cause", "description", "contribution", "ogp_values",
    "lead_institution", "partners", "status", "response", "vote_count", "comment_count",
    "author_display_name", "author_sector", "created_at", "updated_at", "url",
)


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (a leading =, +, @, or -x)."""
    text = "" if value is None else str(value)
    risky = text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and text[1:2] != " ")
    return "'" + text if risky and text != "-" else text


def proposal_csv_row(document: dict) -> list[str]:
    author = document["author"]
    values = {**document, "ogp_values": ";".join(document["ogp_values"]),
              "author_display_name": author["display_name"], "author_sector": author["sector"]}
    return [csv_safe(values[column]) for column in CSV_COLUMNS]
