"""The OpenAPI 3.1 description of the open-data API, kept next to the code it describes.

The tests validate every API response against these schemas (tests/api), so a change to
a serializer that is not mirrored here fails the suite.
"""
from __future__ import annotations

from app.api.serializers import PROPOSAL_FIELDS
from app.models.document import DOCUMENT_TYPES
from app.models.participation import ALIGNMENTS
from app.models.plan import OGP_VALUES, PLAN_STATUSES
from app.models.proposal import PROPOSAL_STATUSES
from app.models.user import SECTORS
from app.proposals.queries import MAX_QUERY_LENGTH, SORTS

TIMESTAMP = {
    "type": "string", "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$",
    "description": "ISO 8601 with the UTC offset.",
}
DATE = {"type": ["string", "null"], "format": "date"}
TEXT = {"type": "string"}
COUNT = {"type": "integer", "minimum": 0}
ROW_ID = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}  # an id filter (int4)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(required if required is not None else properties),
            "additionalProperties": False}


_PROPOSAL_PROPERTIES = {
    "id": {"type": "integer"},
    "theme": {**TEXT, "description": "Slug of the theme."},
    "title": TEXT, "problem": TEXT, "cause": TEXT, "description": TEXT, "contribution": TEXT,
    "ogp_values": {"type": "array", "items": {"enum": list(OGP_VALUES)}},
    "lead_institution": TEXT, "partners": TEXT,
    "status": {"enum": list(PROPOSAL_STATUSES)},
    "response": {"type": ["string", "null"],
                 "description": "The moderators' public reasoned response, if decided."},
    "vote_count": COUNT, "comment_count": COUNT,
    "author": _ref("Author"),
    "created_at": TIMESTAMP, "updated_at": TIMESTAMP,
    "url": {"type": "string", "format": "uri", "description": "The proposal's page."},
}
assert tuple(_PROPOSAL_PROPERTIES) == PROPOSAL_FIELDS

SCHEMAS = {
    "Error": _object({"error": _object(
        {"code": TEXT, "message": TEXT, "field": TEXT}, required=["code", "message"])}),
    "Author": _object({"display_name": TEXT, "sector": {"enum": list(SECTORS)}}),
    "Theme": _object({"slug": TEXT, "name": TEXT, "description": TEXT,
                      "position": {"type": "integer"}, "proposal_count": COUNT,
                      "vote_count": COUNT}),
    "ThemeList": _object({"items": {"type": "array", "items": _ref("Theme")}}),
    "PlanSummary": _object({"slug": TEXT, "title": TEXT, "period": TEXT,
                            "status": {"enum": list(PLAN_STATUSES)},
                            "current": {"type": "boolean"}}),
    "PlanList": _object({"items": {"type": "array", "items": _ref("PlanSummary")}}),
    "Phase": _object({"name": TEXT, "description": TEXT,
                      "starts_on": {"type": "string", "format": "date"},
                      "ends_on": {"type": "string", "format": "date"},
                      "published_at": {"type": ["string", "null"], "format": "date-time"}}),
    "Timeline": _object({"plan": TEXT, "items": {"type": "array", "items": _ref("Phase")}}),
    "Proposal": _object(_PROPOSAL_PROPERTIES),
    "ProposalList": _object({
        "items": {"type": "array", "items": _ref("Proposal")},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "total": COUNT,
    }),
    "Comment": _object({
        "id": {"type": "integer"}, "parent_id": {"type": ["integer", "null"]},
        "body": TEXT, "body_html": {**TEXT, "description": "Sanitized HTML of the body."},
        "alignment": {"enum": list(ALIGNMENTS)}, "author": _ref("Author"),
        "created_at": TIMESTAMP,
    }),
    "ProposalDetail": _object({
        **_PROPOSAL_PROPERTIES,
        "comments": {"type": "array", "items": _ref("Comment"),
                     "description": "Visible comments, oldest first."},
    }),
    # The plan document is app.plan.serializers.plan_document, exactly (also /plan/export.json).
    "Milestone": _object({"description": TEXT, "deliverable": TEXT, "start_date": DATE,
                          "end_date": DATE, "responsible": TEXT}),
    "Contact": _object({"name": TEXT, "role": TEXT}),
    "Commitment": _object({
        "id": {"type": "integer"},
        "number": {"type": "integer"},
        "theme": {**TEXT, "description": "Slug of the theme."},
        "theme_name": TEXT,
        "title": TEXT, "problem": TEXT, "cause": TEXT, "description": TEXT, "contribution": TEXT,
        "ogp_values": {"type": "array", "items": {"enum": list(OGP_VALUES)}},
        "lead_institution": TEXT, "partners": TEXT,
        "contact": {**_ref("Contact"),
                    "description": "The responsible person: name and role, never an email."},
        "start_date": DATE, "end_date": DATE,
        "milestones": {"type": "array", "items": _ref("Milestone")},
        "source_proposals": {"type": "array", "items": {"type": "integer"},
                             "description": "Ids of the visible proposals it comes from."},
        "source_support_count": {**COUNT,
                                 "description": "Supports of those proposals, summed."},
    }),
    "Plan": _object({
        "slug": TEXT, "title": TEXT, "period": TEXT, "intro": TEXT,
        "commitments": {"type": "array", "items": _ref("Commitment"),
                        "description": "In number order."},
    }),
    "Document": _object({
        "id": {"type": "integer"}, "title": TEXT, "type": {"enum": list(DOCUMENT_TYPES)},
        "document_date": {"type": "string", "format": "date"},
        "url": {"type": "string", "format": "uri", "description": "Downloads the file."},
        "mesa_id": {"type": ["integer", "null"]},
        "commitment_id": {"type": ["integer", "null"]},
    }),
    "DocumentList": _object({
        "items": {"type": "array", "items": _ref("Document")},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "total": COUNT,
    }),
    "ProposalExport": _object({
        "license": TEXT, "generated_at": TIMESTAMP, "total": COUNT,
        "items": {"type": "array", "items": _ref("Proposal")},
    }),
}

PAGE_PARAMETERS = [
    {"name": "theme", "in": "query", "schema": TEXT,
     "description": "Slug of a theme (see /api/v1/themes). A slug that names no theme is "
                    "answered 400 with `field: theme`."},
    {"name": "status", "in": "query", "schema": {"enum": list(PROPOSAL_STATUSES)}},
    {"name": "sort", "in": "query", "schema": {"enum": list(SORTS), "default": "votes"},
     "description": "votes (most supported), recent, or comments (most commented)."},
    {"name": "q", "in": "query", "schema": {**TEXT, "maxLength": MAX_QUERY_LENGTH},
     "description": "Words to search in title, problem and description. Longer than "
                    f"{MAX_QUERY_LENGTH} characters: 400 with `field: q`."},
    {"name": "page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}},
    {"name": "per_page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]


def _json(schema: str, description: str) -> dict:
    return {"description": description,
            "headers": {"ETag": {"schema": TEXT}, "Last-Modified": {"schema": TEXT}},
            "content": {"application/json": {"schema": _ref(schema)}}}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


NOT_MODIFIED = {"description": "Not modified: the If-None-Match ETag matches or, without "
                               "If-None-Match, nothing changed since If-Modified-Since."}


def build_spec(*, server_url: str, license_name: str) -> dict:
    """The OpenAPI document, for the server at `server_url`."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Cocrea open data API",
            "version": "1.0.0",
            "summary": "Read-only data of the co-creation of Guatemala's OGP action plan.",
            "description": (
                "Every public proposal (draft commitment), its supports, comments and "
                "decisions, and the plan draft. Hidden content and email addresses never "
                "appear. Responses carry ETag and Last-Modified; send If-None-Match or "
                "If-Modified-Since to get 304 Not Modified. Data license: "
                f"{license_name}."
            ),
            "license": {"name": license_name},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/themes": {"get": {
                "operationId": "listThemes",
                "summary": "The themes of a plan (default: the current one) with counts.",
                "parameters": [{"name": "plan", "in": "query", "required": False,
                                "description": "A plan's slug (see /api/v1/plans).",
                                "schema": {"type": "string"}}],
                "responses": {"200": _json("ThemeList", "The themes in mesa order."),
                              "304": NOT_MODIFIED, "404": _error("Unknown plan.")},
            }},
            "/api/v1/plans": {"get": {
                "operationId": "listPlans",
                "summary": "Every action plan, newest first, the current one marked.",
                "responses": {"200": _json("PlanList", "The plans."), "304": NOT_MODIFIED},
            }},
            "/api/v1/timeline": {"get": {
                "operationId": "getTimeline",
                "summary": "The current plan's published phases, in date order.",
                "responses": {"200": _json("Timeline", "The phases."),
                              "304": NOT_MODIFIED, "404": _error("No plan yet.")},
            }},
            "/api/v1/proposals": {"get": {
                "operationId": "listProposals", "summary": "Visible proposals, one page.",
                "parameters": PAGE_PARAMETERS,
                "responses": {"200": _json("ProposalList", "One page and the total."),
                              "304": NOT_MODIFIED,
                              "400": _error("Unknown theme or status, unknown sort, q too "
                                            "long, or page or per_page out of range; "
                                            "`field` names the parameter.")},
            }},
            "/api/v1/proposals/{id}": {"get": {
                "operationId": "getProposal", "summary": "One proposal with its comments.",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"200": _json("ProposalDetail", "The proposal."),
                              "304": NOT_MODIFIED,
                              "404": _error("Unknown or hidden proposal.")},
            }},
            "/api/v1/plan": {"get": {
                "operationId": "getPlan", "summary": "The action plan draft.",
                "responses": {"200": _json("Plan", "Commitments with source proposals."),
                              "304": NOT_MODIFIED, "404": _error("No plan yet.")},
            }},
            "/api/v1/export/proposals.json": {"get": {
                "operationId": "exportProposalsJson",
                "summary": "Every visible proposal in one streamed JSON document.",
                "responses": {"200": {"description": "All proposals, oldest first.",
                                      "content": {"application/json": {
                                          "schema": _ref("ProposalExport")}}}},
            }},
            "/api/v1/export/proposals.csv": {"get": {
                "operationId": "exportProposalsCsv",
                "summary": "Every visible proposal as streamed CSV (UTF-8, header row).",
                "responses": {"200": {"description": "All proposals, oldest first.",
                                      "content": {"text/csv": {"schema": TEXT}}}},
            }},
            "/api/v1/documents": {"get": {
                "operationId": "listDocuments",
                "summary": "The public repository of the process, newest first, one page.",
                "parameters": [
                    {"name": "type", "in": "query", "schema": {"enum": list(DOCUMENT_TYPES)}},
                    {"name": "plan", "in": "query", "schema": TEXT,
                     "description": "Plan slug."},
                    {"name": "mesa", "in": "query", "schema": ROW_ID},
                    {"name": "commitment", "in": "query", "schema": ROW_ID},
                    PAGE_PARAMETERS[-2], PAGE_PARAMETERS[-1],
                ],
                "responses": {"200": _json("DocumentList", "One page and the total."),
                              "304": NOT_MODIFIED,
                              "400": _error("Unknown type, non-numeric id, page or per_page "
                                            "out of range.")},
            }},
            "/api/v1/openapi.json": {"get": {
                "operationId": "getOpenApi", "summary": "This document.",
                "responses": {"200": {"description": "OpenAPI 3.1",
                                      "content": {"application/json": {
                                          "schema": {"type": "object"}}}}},
            }},
        },
        "components": {"schemas": SCHEMAS},
    }
