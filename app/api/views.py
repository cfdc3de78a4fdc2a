"""The read-only open-data API (/api/v1) and its human documentation page (/api).

Listings reuse the HTML pages' query builder (app.proposals.queries). Responses carry an
ETag (hash of the body) and Last-Modified, answer 304 to a matching If-None-Match, and are
open to every origin (CORS) under /api/v1 only.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, render_template, request, stream_with_context
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.api import serializers
from app.api.openapi import build_spec
from app.csvfile import csv_chunks
from app.database import MAX_ID, get_or_404
from app.errors import InvalidInput, NotFound, ServiceError
from app.extensions import db
from app.models import Comment, Commitment, PlanPhase, ProgressUpdate, Proposal, User
from app.models.base import utcnow
from app.plan.serializers import commitment_document, plan_document
from app.plans import services as plans
from app.proposals.queries import (
    MAX_QUERY_LENGTH,
    list_proposals,
    parse_filters,
    theme_summaries,
)
from app.tracking import queries as tracking_queries
from app.urls import base_url

bp = Blueprint("api", __name__)
EXPORT_CHUNK = 500
_LOADED_AT = utcnow()  # Last-Modified of the API description: when this code was loaded


@bp.errorhandler(ServiceError)
def _api_error(error: ServiceError):
    codes = {400: "invalid_parameter", 403: "forbidden", 404: "not_found", 409: "conflict"}
    body = {"code": codes.get(error.status, str(error.status)), "message": error.message}
    if error.field:
        body["field"] = error.field
    return current_app.response_class(
        json.dumps({"error": body}, ensure_ascii=False), status=error.status,
        mimetype="application/json")


@bp.after_app_request
def _cors(response):
    """Any origin may read /api/v1 (and send If-None-Match); nothing else is opened."""
    if request.path.startswith("/api/v1/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _latest(*values: datetime | None) -> datetime | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


def _json(payload, last_modified: datetime | None = None) -> Response:
    """A cacheable JSON answer: ETag from the body and Last-Modified (whole seconds).

    Werkzeug's conditional response answers 304 with no body when If-None-Match matches
    the ETag or, without If-None-Match, when nothing changed since If-Modified-Since
    (RFC 9110, 13.1.3 and 13.2.2).
    """
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    etag = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = "public, max-age=60"
    response.make_conditional(request)
    return response


@bp.route("/api")
def docs():
    """What the API offers, how to use it, and the license of the data."""
    return render_template("api/index.html", license=current_app.config["DATA_LICENSE"],
                           sorts=("votes", "recent", "comments"))


@bp.route("/api/docs")
def reference():
    """The browsable API reference (the pinned Swagger UI reading /api/v1/openapi.json)."""
    return render_template("api/reference.html")


@bp.route("/api/v1/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    spec = build_spec(server_url=base_url(),
                      license_name=current_app.config["DATA_LICENSE"])
    return _json(spec, _LOADED_AT)


@bp.route("/api/v1/themes")
def themes():
    """The themes of `?plan=<slug>` (default: the current plan) with their visible proposal
    and support counts; 404 for an unknown plan."""
    slug = request.args.get("plan")
    plan_id = plans.get_plan(slug).id if slug else None
    items = [serializers.theme_document(summary) for summary in theme_summaries(plan_id)]
    changed = db.session.scalar(select(func.max(Proposal.updated_at)))
    return _json({"items": items}, changed)


@bp.route("/api/v1/proposals")
def proposals():
    """One page of visible proposals: theme, status, sort, q, page, per_page (≤ 100).

    400 (`field` names the parameter) for an unknown theme or status, a q longer than
    MAX_QUERY_LENGTH characters (the pages shorten it; the API says so), or a page out of range.
    """
    if len(request.args.get("q", "")) > MAX_QUERY_LENGTH:
        raise InvalidInput(_("La búsqueda admite hasta %(n)d caracteres.", n=MAX_QUERY_LENGTH),
                           field="q")
    filters = parse_filters(request.args, max_per_page=100, default_per_page=20)
    page = list_proposals(filters)
    items = [serializers.proposal_document(proposal) for proposal in page.items]
    return _json({"items": items, "page": page.page, "per_page": page.per_page,
                  "total": page.total},
                 _latest(*(proposal.updated_at for proposal in page.items)))


@bp.route("/api/v1/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    """One visible proposal with its visible comments; 404 when hidden or unknown."""
    found = get_or_404(Proposal, proposal_id, _("No existe esa propuesta."),
                       options=[joinedload(Proposal.theme), joinedload(Proposal.author)])
    if found.hidden:
        raise NotFound(_("No existe esa propuesta."))
    comments = db.session.scalars(
        select(Comment)
        .options(joinedload(Comment.author))
        .where(Comment.proposal_id == found.id, Comment.hidden.is_(False),
               Comment.deleted_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    document = serializers.proposal_document(found)
    document["comments"] = [serializers.comment_document(comment) for comment in comments]
    changed = _latest(found.updated_at, *(c.edited_at or c.created_at for c in comments))
    return _json(document, changed)


@bp.route("/api/v1/plan")
def plan():
    """The action plan draft: commitments traced to their source proposals."""
    found = plans.require_current_plan()
    changed = db.session.scalar(
        select(func.max(Commitment.updated_at)).where(Commitment.plan_id == found.id))
    return _json(plan_document(found), _latest(found.created_at, changed))


@bp.route("/api/v1/plans")
def plan_list():
    """Every plan, newest first: {"items": [{slug, title, period, status, current}]}."""
    found = plans.list_plans()
    items = [serializers.plan_summary_document(plan) for plan in found]
    return _json({"items": items}, _latest(*(plan.created_at for plan in found)))


@bp.route("/api/v1/timeline")
def timeline():
    """The current plan's published phases: {"plan", "items": [{name, starts_on, ends_on,
    published_at, description}]}; 404 before any plan."""
    plan = plans.require_current_plan()
    phases = plans.timeline(plan)
    changed = db.session.scalar(
        select(func.max(PlanPhase.published_at)).where(PlanPhase.plan_id == plan.id))
    return _json({"plan": plan.slug,
                  "items": [serializers.phase_document(phase) for phase in phases]},
                 _latest(plan.created_at, changed))


@bp.route("/api/v1/documents")
def documents():
    """One page of the public repository, newest first: type, plan, mesa, commitment, page,
    per_page (≤ 100). Withdrawn documents never appear."""
    from app.repository import services as repository

    filters = repository.parse_filters(request.args, max_per_page=100, default_per_page=20,
                                       strict=True)
    page = repository.list_documents(filters, related=False)
    return _json({"items": [serializers.document_document(item) for item in page.items],
                  "page": page.page, "per_page": page.per_page, "total": page.total},
                 repository.last_changed())


@dataclass(frozen=True, slots=True)
class _CommentAuthor:
    display_name: str
    sector: str | None


@dataclass(frozen=True, slots=True)
class _CommitmentComment:
    """What the commitment document shows of a consultation comment, as a plain row: the
    five hundred comments of a consulted commitment cost three times more as ORM objects
    with their authors."""
    id: int
    parent_id: int | None
    body: str
    alignment: str
    created_at: datetime
    edited_at: datetime | None
    disposition: str | None
    disposition_response: str | None
    disposition_at: datetime | None
    author: _CommentAuthor


def _commitment_comments(commitment_id: int) -> list[_CommitmentComment]:
    """The readable consultation comments of a commitment, oldest first: one query."""
    rows = db.session.execute(
        select(Comment.id, Comment.parent_id, Comment.body, Comment.alignment,
               Comment.created_at, Comment.edited_at, Comment.disposition,
               Comment.disposition_response, Comment.disposition_at, User.display_name,
               User.sector)
        .join(User, User.id == Comment.author_id)
        .where(Comment.commitment_id == commitment_id, Comment.hidden.is_(False),
               Comment.deleted_at.is_(None))
        .order_by(Comment.created_at, Comment.id))
    return [_CommitmentComment(*row[:9], author=_CommentAuthor(*row[9:])) for row in rows]


@bp.route("/api/v1/plan/commitments/<int:commitment_id>")
def commitment(commitment_id: int):
    """One commitment of the plan with its milestones, readable consultation comments (each
    with its disposition and response), progress, completion and progress updates; 404 when
    unknown. Six queries."""
    if not 0 < commitment_id <= MAX_ID:
        raise NotFound(_("No existe ese compromiso."))
    found = db.session.scalar(
        select(Commitment).where(Commitment.id == commitment_id)
        .options(selectinload(Commitment.theme), selectinload(Commitment.milestones),
                 selectinload(Commitment.source_proposals)))
    if found is None:
        raise NotFound(_("No existe ese compromiso."))
    comments = _commitment_comments(found.id)
    updates = db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.commitment_id == found.id)
        .options(selectinload(ProgressUpdate.milestone_reports))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())).all()
    document = serializers.commitment_detail_document(
        commitment_document(found), found.milestones, comments, updates,
        tracking_queries.local_today())
    changed = _latest(found.updated_at, found.last_update_at,
                      *(c.disposition_at or c.edited_at or c.created_at for c in comments))
    return _json(document, changed)


@bp.route("/api/v1/ogp-requirements")
def ogp_requirements():
    """The OGP minimum requirements of a plan (`plan` slug; default: the current one):
    {"plan", "evaluated_at", "items": [{key, title, status, reason, evidence: [url]}]};
    404 for an unknown plan or before any plan."""
    from app.transparency import ogp
    from app.transparency.views import plan_from_query

    plan = plan_from_query()
    now, results = ogp.evaluate_cached(plan)
    items = [serializers.ogp_requirement_document(item, outcome) for item, outcome in results]
    return _json({"plan": plan.slug, "evaluated_at": now.isoformat(), "items": items})


@bp.route("/api/v1/tracking")
def tracking():
    """The commitments /tracking shows (`plan`: one plan's slug): {"items": [{commitment_id,
    plan, number, title, theme, lead_institution, progress, completion, milestones_done,
    milestones_total, milestones_overdue, last_update_at}]}; 404 for a plan not tracked.
    Three queries."""
    found = tracking_queries.tracker(request.args.get("plan") or None)
    return _json({"items": [row.document() for row in found.rows]},
                 _latest(*(row.last_update_at for row in found.rows)))


def _all_visible_proposals():
    """Every visible proposal, oldest first, fetched in chunks (constant memory)."""
    statement = (
        select(Proposal)
        .where(Proposal.hidden.is_(False))
        .options(joinedload(Proposal.theme), joinedload(Proposal.author))
        .order_by(Proposal.id)
        .execution_options(yield_per=EXPORT_CHUNK)
    )
    for proposal in db.session.scalars(statement):
        yield serializers.proposal_document(proposal)


def _download(generator, mimetype: str, filename: str) -> Response:
    return Response(stream_with_context(generator), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "public, max-age=300"})


@bp.route("/api/v1/export/proposals.json")
def export_json():
    """Every visible proposal in one JSON document, streamed."""
    license_name = current_app.config["DATA_LICENSE"]
    total = db.session.scalar(select(func.count(Proposal.id)).where(Proposal.hidden.is_(False)))

    def generate():
        head = {"license": license_name, "generated_at": datetime.now(UTC).isoformat(),
                "total": total}
        yield json.dumps(head, ensure_ascii=False)[:-1] + ',"items":['
        chunk, first = [], True
        for document in _all_visible_proposals():
            chunk.append(json.dumps(document, ensure_ascii=False))
            if len(chunk) == EXPORT_CHUNK:
                yield ("" if first else ",") + ",".join(chunk)
                chunk, first = [], False
        if chunk:
            yield ("" if first else ",") + ",".join(chunk)
        yield "]}"

    return _download(generate(), "application/json", "cocrea-propuestas.json")


@bp.route("/api/v1/export/proposals.csv")
def export_csv():
    """Every visible proposal as CSV (UTF-8 with BOM, one header row), streamed."""

    rows = (serializers.proposal_csv_row(document) for document in _all_visible_proposals())
    chunks = csv_chunks(serializers.CSV_COLUMNS, rows, chunk_rows=EXPORT_CHUNK)
    return _download(chunks, "text/csv", "cocrea-propuestas.csv")
