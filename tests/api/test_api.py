"""The open-data API: every endpoint and filter, validated against its OpenAPI schema."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from jsonschema import Draft202012Validator

from app.models import Commitment
from tests.api.conftest import assert_no_secret_email, body_text
from tests.factories import ProposalFactory


def test_openapi_document_is_3_1_with_valid_schemas(spec):
    assert spec["openapi"].startswith("3.1")
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for path in ("/api/v1/themes", "/api/v1/proposals", "/api/v1/proposals/{id}",
                 "/api/v1/plan", "/api/v1/openapi.json", "/api/v1/export/proposals.csv",
                 "/api/v1/export/proposals.json"):
        assert "get" in spec["paths"][path]
    assert spec["info"]["license"]["name"] == "CC BY 4.0"


def test_docs_page_explains_the_api_and_the_license(client, db):
    page = client.get("/api").get_data(as_text=True)
    assert "CC BY 4.0" in page and "/api/v1/openapi.json" in page and "per_page" in page


def test_docs_page_shows_a_configured_license(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "DATA_LICENSE", "ODbL 1.0")
    assert "ODbL 1.0" in client.get("/api").get_data(as_text=True)


def test_themes_count_visible_proposals_and_votes(client, sample, validate):
    body = validate(client.get("/api/v1/themes"), "/api/v1/themes")
    themes = {item["slug"]: item for item in body["items"]}
    assert themes["salud"]["proposal_count"] == 2 and themes["salud"]["vote_count"] == 35
    assert themes["agua"]["proposal_count"] == 1 and themes["agua"]["vote_count"] == 12


def test_proposal_objects_have_the_contract_fields(client, sample, validate):
    body = validate(client.get("/api/v1/proposals?theme=agua"), "/api/v1/proposals")
    [item] = body["items"]
    assert item["id"] == sample.accepted.id and item["theme"] == "agua"
    assert item["status"] == "accepted" and item["response"] == "Se incluye en el borrador."
    assert item["author"] == {"display_name": "Carla", "sector": "sector_publico"}
    assert item["ogp_values"] == ["transparency"]
    for field in ("created_at", "updated_at"):
        assert datetime.fromisoformat(item[field]).utcoffset() is not None


def test_hidden_proposals_never_appear_in_listings(client, sample, validate):
    body = validate(client.get("/api/v1/proposals?per_page=100"), "/api/v1/proposals")
    assert body["total"] == 3
    assert sample.hidden.id not in {item["id"] for item in body["items"]}
    assert "Contenido ocultado" not in body_text(client.get("/api/v1/proposals"))


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["popular", "accepted", "recent"]),
    ("sort=votes", ["popular", "accepted", "recent"]),
    ("sort=recent", ["recent", "accepted", "popular"]),
    ("sort=comments", ["recent", "popular", "accepted"]),
    ("theme=salud", ["popular", "recent"]),
    ("status=accepted", ["accepted"]),
    ("status=open&theme=agua", []),
    ("q=medicinas", ["recent"]),
    ("theme=salud&sort=recent", ["recent", "popular"]),
])
def test_filters_and_sorts(client, sample, validate, query, expected):
    body = validate(client.get(f"/api/v1/proposals?{query}"), "/api/v1/proposals")
    assert [item["id"] for item in body["items"]] == [getattr(sample, n).id for n in expected]
    assert body["total"] == len(expected)


def test_pagination_reports_page_per_page_and_total(client, sample, validate):
    first = validate(client.get("/api/v1/proposals?per_page=2"), "/api/v1/proposals")
    second = validate(client.get("/api/v1/proposals?per_page=2&page=2"), "/api/v1/proposals")
    assert (first["page"], first["per_page"], first["total"]) == (1, 2, 3)
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert second["page"] == 2
    beyond = validate(client.get("/api/v1/proposals?page=50"), "/api/v1/proposals")
    assert beyond["items"] == [] and beyond["total"] == 3


def test_default_page_size_is_20_and_the_cap_is_100(client, db, validate):
    ProposalFactory.create_batch(21)
    assert len(client.get("/api/v1/proposals").get_json()["items"]) == 20
    body = validate(client.get("/api/v1/proposals?per_page=100"), "/api/v1/proposals")
    assert len(body["items"]) == 21


@pytest.mark.parametrize("query", [
    "sort=best", "status=approved", "theme=no-existe", "per_page=101", "per_page=0",
    "per_page=-5", "page=0", "page=-1", "page=99999999999999999999", "page=abc",
    "per_page=1e3", "page=1.5",
])
def test_bad_input_is_a_400_json_error(client, db, validate, query):
    body = validate(client.get(f"/api/v1/proposals?{query}"), "/api/v1/proposals", 400)
    assert body["error"]["code"] == "invalid_parameter" and body["error"]["message"]


def test_proposal_detail_has_visible_comments_only(client, sample, validate):
    body = validate(client.get(f"/api/v1/proposals/{sample.popular.id}"),
                    "/api/v1/proposals/{id}")
    assert body["id"] == sample.popular.id and body["vote_count"] == 30
    comments = body["comments"]
    assert [c["id"] for c in comments] == [sample.visible_comment.id, sample.reply.id]
    first, reply = comments
    assert first["body"] == "Muy **buena** idea"
    assert "<strong>buena</strong>" in first["body_html"]
    assert first["alignment"] == "in_favor" and first["parent_id"] is None
    assert first["author"] == {"display_name": "Beto", "sector": "sociedad_civil"}
    assert reply["parent_id"] == sample.visible_comment.id
    text = body_text(client.get(f"/api/v1/proposals/{sample.popular.id}"))
    assert "Comentario ocultado" not in text and "Comentario borrado" not in text


@pytest.mark.parametrize("which", ["hidden", "unknown", "huge"])
def test_hidden_or_unknown_proposal_is_404(client, sample, validate, which):
    proposal_id = {"hidden": sample.hidden.id, "unknown": 999_999,
                   "huge": 10**30}[which]
    response = client.get(f"/api/v1/proposals/{proposal_id}")
    body = validate(response, "/api/v1/proposals/{id}", 404)
    assert body["error"]["code"] == "not_found"
    assert "Contenido ocultado" not in response.get_data(as_text=True)


def test_plan_lists_commitments_with_visible_sources_only(client, sample, validate, db):
    commitment = Commitment(plan_id=sample.agua.plan_id, theme_id=sample.agua.id, number=1,
                            title="Agua transparente", contact_email=sample.carla.email,
                            start_date=date(2018, 9, 1), end_date=date(2020, 8, 31))
    commitment.source_proposals = [sample.accepted, sample.hidden]
    db.session.add(commitment)
    db.session.flush()
    body = validate(client.get("/api/v1/plan"), "/api/v1/plan")
    assert body["period"] == "2018-2020" and body["title"]
    [item] = body["commitments"]
    assert item["number"] == 1 and item["theme"] == "agua"
    assert item["source_proposals"] == [sample.accepted.id]
    assert_no_secret_email(body_text(client.get("/api/v1/plan")))


def test_plan_export_json_is_the_api_plan_document(client, sample, validate, db):
    from app.models import Milestone

    commitment = Commitment(plan_id=sample.agua.plan_id, theme_id=sample.agua.id, number=2,
                            title="Agua medida", contact_name="Carla", contact_role="Enlace",
                            contact_email=sample.carla.email, ogp_values=["transparency"],
                            start_date=date(2018, 9, 1), end_date=date(2020, 8, 31))
    commitment.source_proposals = [sample.accepted, sample.hidden]
    commitment.milestones = [Milestone(description="Publicar datos", start_date=date(2019, 1, 1))]
    db.session.add(commitment)
    db.session.flush()
    api = validate(client.get("/api/v1/plan"), "/api/v1/plan")
    export = client.get("/plan/export.json")
    assert export.status_code == 200
    assert export.get_json() == api
    [item] = api["commitments"]
    assert item["contact"] == {"name": "Carla", "role": "Enlace"}
    assert item["source_proposals"] == [sample.accepted.id]
    assert_no_secret_email(body_text(export))
    for url in ("/plan", "/plan/export.csv", "/plan/export.md"):
        assert_no_secret_email(client.get(url).get_data(as_text=True))


def test_plan_is_404_before_there_is_one(client, db, validate):
    validate(client.get("/api/v1/plan"), "/api/v1/plan", 404)


def test_no_email_appears_in_any_payload(client, sample, db):
    commitment = Commitment(plan_id=sample.agua.plan_id, theme_id=sample.agua.id, number=7,
                            title="Con contacto", contact_email=sample.ana.email)
    db.session.add(commitment)
    db.session.flush()
    urls = ["/api/v1/themes", "/api/v1/proposals?per_page=100", "/api/v1/plan",
            f"/api/v1/proposals/{sample.popular.id}", f"/api/v1/proposals/{sample.recent.id}",
            "/api/v1/export/proposals.csv", "/api/v1/export/proposals.json",
            "/api/v1/openapi.json"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_secret_email(response.get_data(as_text=True))
