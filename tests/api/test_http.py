"""Caching (ETag, Last-Modified, 304), CORS on /api/v1 only, and the streamed exports."""
from __future__ import annotations

import csv
import io
import json

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import insert

from app.api import views
from app.models import Proposal
from tests.api.conftest import assert_no_secret_email
from tests.factories import ProposalFactory, UserFactory

CACHED_URLS = ["/api/v1/themes", "/api/v1/proposals", "/api/v1/plan", "/api/v1/openapi.json"]


@pytest.mark.parametrize("url", CACHED_URLS)
def test_etag_round_trip_answers_304(client, seeded, url):
    ProposalFactory()
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag and first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_etag_changes_when_the_data_changes(client, sample):
    url = f"/api/v1/proposals/{sample.popular.id}"
    etag = client.get(url).headers["ETag"]
    sample.popular.vote_count += 1
    sample.db.session.flush()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag
    assert response.get_json()["vote_count"] == 31


def test_api_is_open_to_every_origin(client, db):
    for url in ["/api/v1/themes", "/api/v1/proposals?sort=nope", "/api/v1/nothing-here"]:
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/proposals", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "If-None-Match"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "ETag" in client.get("/api/v1/themes").headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("url", ["/api", "/mesas", "/proposals"])
def test_the_rest_of_the_site_is_not_cross_origin(client, db, url):
    assert "Access-Control-Allow-Origin" not in client.get(url).headers


def test_unknown_api_path_and_method_answer_json(client, db):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"]
    post = client.post("/api/v1/proposals")
    assert post.status_code in (400, 405) and "error" in post.get_json()


ROWS = 1_234


@pytest.fixture
def many_proposals(db, sample):
    author = UserFactory()
    db.session.execute(insert(Proposal), [
        {"theme_id": sample.salud.id, "author_id": author.id, "title": f"Propuesta {n}",
         "problem": "- Un problema\n- con viñetas", "description": "=1+1 no es fórmula",
         "ogp_values": ["participation", "technology"]}
        for n in range(ROWS)
    ])
    return ROWS + 3  # the sample's three visible proposals


def _chunks(client, url):
    response = client.get(url, buffered=False)
    assert response.status_code == 200 and response.is_streamed
    chunks = [c.decode("utf-8") if isinstance(c, bytes) else c for c in response.response]
    response.close()
    return response, chunks


def test_csv_export_streams_every_visible_proposal(client, many_proposals, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_CHUNK", 100)
    response, chunks = _chunks(client, "/api/v1/export/proposals.csv")
    assert response.mimetype == "text/csv"
    assert len(chunks) >= many_proposals // 100  # written piece by piece, not built whole
    text = "".join(chunks)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == many_proposals
    assert "Contenido ocultado" not in text
    row = next(r for r in rows if r["title"] == "Propuesta 7")
    assert row["ogp_values"] == "participation;technology"
    assert row["problem"] == "- Un problema\n- con viñetas"
    assert row["description"] == "'=1+1 no es fórmula"  # neutralised for spreadsheets
    assert_no_secret_email(text)


def test_json_export_streams_every_visible_proposal(client, spec, many_proposals, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_CHUNK", 100)
    response, chunks = _chunks(client, "/api/v1/export/proposals.json")
    assert response.mimetype == "application/json"
    assert len(chunks) >= many_proposals // 100
    body = json.loads("".join(chunks))
    schema = {"components": spec["components"], "$ref": "#/components/schemas/ProposalExport"}
    Draft202012Validator(schema).validate(body)
    assert body["total"] == len(body["items"]) == many_proposals
    assert body["license"] == "CC BY 4.0"
    ids = [item["id"] for item in body["items"]]
    assert ids == sorted(ids)


def test_empty_exports_are_well_formed(client, db):
    assert json.loads(client.get("/api/v1/export/proposals.json").data)["items"] == []
    text = client.get("/api/v1/export/proposals.csv").get_data(as_text=True)
    assert text.lstrip("\ufeff").startswith("id,theme,title")


def test_if_modified_since_answers_304_until_the_data_changes(client, sample):
    url = f"/api/v1/proposals/{sample.popular.id}"
    first = client.get(url)
    last_modified = first.headers["Last-Modified"]
    again = client.get(url, headers={"If-Modified-Since": last_modified})
    assert again.status_code == 304 and again.data == b""
    earlier = "Mon, 01 Jan 2018 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200


def test_if_none_match_wins_over_if_modified_since(client, sample):
    url = "/api/v1/proposals"
    first = client.get(url)
    stale = client.get(url, headers={"If-None-Match": '"other"',
                                     "If-Modified-Since": first.headers["Last-Modified"]})
    assert stale.status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/themes", "/api/v1/proposals", "/api/v1/plan"])
def test_an_unsupported_method_is_405_with_the_allowed_methods(client, db, url):
    response = client.open(url, method="TRACE")
    assert response.status_code == 405 and response.get_json()["error"]["code"] == "405"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD",
                                                                          "OPTIONS"}


def test_q_longer_than_the_declared_max_length_is_400(client, spec, db):
    declared = next(p for p in spec["paths"]["/api/v1/proposals"]["get"]["parameters"]
                    if p["name"] == "q")["schema"]["maxLength"]
    assert client.get("/api/v1/proposals?q=" + "a" * declared).status_code == 200
    response = client.get("/api/v1/proposals?q=" + "a" * (declared + 1))
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "q"


def test_unknown_theme_is_the_declared_400(client, spec, validate, db):
    response = client.get("/api/v1/proposals?theme=no-existe")
    body = validate(response, "/api/v1/proposals", 400)
    assert body["error"]["field"] == "theme"
    theme = next(p for p in spec["paths"]["/api/v1/proposals"]["get"]["parameters"]
                 if p["name"] == "theme")
    assert "400" in theme["description"]
