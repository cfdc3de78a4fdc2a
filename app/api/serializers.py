"""Public JSON documents: the one place that decides what the open-data API shows.

Authors appear with display name and sector only (never the email); callers pass visible
(not hidden) rows only. Timestamps are ISO 8601 with their UTC offset.
"""
from __future__ import annotations

from datetime import date, datetime

from app.models import Comment, Document, Proposal, User
from app.proposals.queries import ThemeSummary
from app.urls import absolute_url

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
        "url": absolute_url("proposals.detail", proposal_id=proposal.id),
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


CSV_COLUMNS = (
    "id", "theme", "title", "problem", "cause", "description", "contribution", "ogp_values",
    "lead_institution", "partners", "status", "response", "vote_count", "comment_count",
    "author_display_name", "author_sector", "created_at", "updated_at", "url",
)


def proposal_csv_row(document: dict) -> list[str]:
    author = document["author"]
    values = {**document, "ogp_values": ";".join(document["ogp_values"]),
              "author_display_name": author["display_name"], "author_sector": author["sector"]}
    return [values[column] for column in CSV_COLUMNS]  # made safe by app.csvfile


def plan_summary_document(plan) -> dict:
    """One action plan: slug, title, period, status, and whether it is the current one."""
    return {"slug": plan.slug, "title": plan.title, "period": plan.period,
            "status": plan.status, "current": bool(plan.is_current)}


def phase_document(phase) -> dict:
    """A timeline phase; dates as YYYY-MM-DD, published_at ISO 8601 with offset."""
    return {"name": phase.name, "description": phase.description,
            "starts_on": phase.starts_on.isoformat(), "ends_on": phase.ends_on.isoformat(),
            "published_at": phase.published_at.isoformat() if phase.published_at else None}


def document_document(document: Document) -> dict:
    """A public document of the repository; `url` downloads the file."""
    return {
        "id": document.id,
        "title": document.title,
        "type": document.type,
        "document_date": iso(document.document_date),
        "url": absolute_url("repository.download", document_id=document.id,
                            filename=document.original_filename),
        "mesa_id": document.mesa_id,
        "commitment_id": document.commitment_id,
    }
