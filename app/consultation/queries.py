"""What the consultation pages read: the response report, its counts, the moderators' queue
and what changed in a commitment since the consulted version. Each a constant number of
queries, whatever the number of comments."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.errors import InvalidInput
from app.extensions import db
from app.models import Comment, Commitment, Consultation, PlanVersion, User
from app.models.participation import DISPOSITIONS
from app.plan.diff import Change, changes
from app.plan.serializers import without_emails
from app.proposals.queries import Page, _int_arg

PER_PAGE = 50
QUEUE_LIMIT = 50
PENDING = "pending"  # the report's filter for comments still without a disposition
REPORT_COLUMNS = (
    "comment_id", "commitment_number", "commitment_title", "author", "alignment", "created_at",
    "body", "disposition", "response", "disposition_at",
)


@dataclass(frozen=True)
class ReportFilters:
    commitment: int | None = None
    disposition: str | None = None
    page: int = 1

    def args(self, **override) -> dict:
        """The query string of these filters (for links), with `override` applied."""
        values = {"commitment": self.commitment, "disposition": self.disposition,
                  "page": self.page if self.page > 1 else None, **override}
        return {key: value for key, value in values.items() if value is not None}


def parse_report_filters(args) -> ReportFilters:
    """`commitment` (an id), `disposition` (one of DISPOSITIONS or `pending`), `page`;
    InvalidInput (400) for anything else."""
    commitment = _int_arg(args.get("commitment"), "commitment", None, 1, 2**31 - 1)
    disposition = args.get("disposition") or None
    if disposition is not None and disposition not in (*DISPOSITIONS, PENDING):
        raise InvalidInput(_("Respuesta desconocida."), field="disposition")
    return ReportFilters(commitment, disposition, _int_arg(args.get("page"), "page", 1, 1,
                                                           10_000))


@dataclass(frozen=True)
class ReportRow:
    id: int
    commitment_id: int
    commitment_number: int
    commitment_title: str
    author: str
    alignment: str
    created_at: datetime
    body: str
    body_html: str
    disposition: str | None
    disposition_response: str | None
    disposition_response_html: str | None
    disposition_at: datetime | None


_READABLE = sa.and_(Comment.commitment_id.is_not(None), Comment.hidden.is_(False),
                    Comment.deleted_at.is_(None))


def _report_statement(plan_id: int, filters: ReportFilters):
    statement = (
        sa.select(Comment.id, Commitment.id, Commitment.number, Commitment.title,
                  User.display_name, Comment.alignment, Comment.created_at, Comment.body,
                  Comment.body_html, Comment.disposition, Comment.disposition_response,
                  Comment.disposition_response_html, Comment.disposition_at)
        .join(Commitment, Commitment.id == Comment.commitment_id)
        .join(User, User.id == Comment.author_id)
        .where(_READABLE, Commitment.plan_id == plan_id))
    if filters.commitment is not None:
        statement = statement.where(Comment.commitment_id == filters.commitment)
    if filters.disposition == PENDING:
        statement = statement.where(Comment.disposition.is_(None))
    elif filters.disposition:
        statement = statement.where(Comment.disposition == filters.disposition)
    return statement.order_by(Commitment.number, Comment.created_at, Comment.id)


def report_page(plan_id: int, filters: ReportFilters) -> Page:
    """One page of the readable consultation comments (commitment order, then oldest
    first): two queries."""
    statement = _report_statement(plan_id, filters)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = db.session.execute(
        statement.limit(PER_PAGE).offset((filters.page - 1) * PER_PAGE))
    return Page(items=[ReportRow(*row) for row in rows], total=total, page=filters.page,
                per_page=PER_PAGE)


def report_rows(plan_id: int, filters: ReportFilters):
    """Every row of the report (for the CSV and the PDF annex), streamed in chunks."""
    statement = _report_statement(plan_id, filters).execution_options(yield_per=500)
    for row in db.session.execute(statement):
        yield ReportRow(*row)


def counts_by_disposition(plan_id: int, commitment_id: int | None = None) -> dict[str, int]:
    """{disposition or `pending`: readable comments}, every key present, and `total`."""
    statement = (sa.select(Comment.disposition, sa.func.count())
                 .join(Commitment, Commitment.id == Comment.commitment_id)
                 .where(_READABLE, Commitment.plan_id == plan_id)
                 .group_by(Comment.disposition))
    if commitment_id is not None:
        statement = statement.where(Comment.commitment_id == commitment_id)
    counts = dict.fromkeys((*DISPOSITIONS, PENDING), 0)
    for disposition, count in db.session.execute(statement):
        counts[disposition or PENDING] += count
    counts["total"] = sum(counts.values())
    return counts


def commitment_options(plan_id: int) -> list[tuple[int, int, str]]:
    """(id, number, title) of the plan's commitments, for the report's filter."""
    return list(db.session.execute(
        sa.select(Commitment.id, Commitment.number, Commitment.title)
        .where(Commitment.plan_id == plan_id).order_by(Commitment.number)))


def awaiting_response(limit: int = QUEUE_LIMIT) -> list[ReportRow]:
    """The moderators' queue: readable consultation comments, those without a response
    ("sin respuesta") first, oldest first within: one query."""
    statement = (
        sa.select(Comment.id, Commitment.id, Commitment.number, Commitment.title,
                  User.display_name, Comment.alignment, Comment.created_at, Comment.body,
                  Comment.body_html, Comment.disposition, Comment.disposition_response,
                  Comment.disposition_response_html, Comment.disposition_at)
        .join(Commitment, Commitment.id == Comment.commitment_id)
        .join(User, User.id == Comment.author_id)
        .where(_READABLE)
        .order_by(Comment.disposition.is_not(None), Comment.created_at, Comment.id)
        .limit(limit))
    return [ReportRow(*row) for row in db.session.execute(statement)]


def changes_since_consultation(commitment: Commitment,
                               consultation: Consultation | None) -> list[Change] | None:
    """What changed in `commitment` between the consulted version and the newest published
    one (app/plan/diff.py); None when no version was published after the consultation's.
    One query."""
    if consultation is None:
        return None
    latest = db.session.scalar(
        sa.select(PlanVersion).where(PlanVersion.plan_id == consultation.plan_id,
                                     PlanVersion.number > consultation.version.number)
        .order_by(PlanVersion.number.desc()).limit(1))
    if latest is None:
        return None

    def only_this(snapshot: dict) -> dict:
        document = without_emails(snapshot)
        return {**document, "commitments": [c for c in document.get("commitments", [])
                                             if c.get("id") == commitment.id]}

    return changes(only_this(consultation.version.snapshot), only_this(latest.snapshot))


def annex(plan_id: int) -> list[dict]:
    """The plan PDF's annex: every readable consultation comment with its commitment,
    disposition and response, as plain data (it is part of the PDF's content key)."""
    return [{"id": row.id, "commitment_number": row.commitment_number,
             "commitment_title": row.commitment_title, "author": row.author,
             "alignment": row.alignment, "body": row.body, "disposition": row.disposition,
             "response": row.disposition_response}
            for row in report_rows(plan_id, ReportFilters())]


def with_annex(document: dict, plan_id: int) -> dict:
    """The draft's PDF document: `document` plus, once the consultation has comments, their
    response report as `consultation` (so the PDF's content key changes with it)."""
    rows = annex(plan_id)
    return {**document, "consultation": rows} if rows else document
