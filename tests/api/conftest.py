"""Fixtures for the API tests: sample data with hidden content, and schema validation."""
from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from jsonschema import Draft202012Validator

from app.models.base import utcnow
from tests.factories import CommentFactory, ProposalFactory, ThemeFactory, UserFactory

SECRET_EMAILS = ("ana.secreta@ejemplo.org", "beto.oculto@ejemplo.org", "carla.x@ejemplo.org")


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def validate(spec):
    """validate(response, "/api/v1/…", status): the body matches the OpenAPI schema."""

    def _validate(response, path: str, status: int = 200):
        assert response.status_code == status, response.get_data(as_text=True)
        answer = spec["paths"][path]["get"]["responses"][str(status)]
        schema = answer["content"]["application/json"]["schema"]
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "components": spec["components"], **schema}
        body = response.get_json()
        Draft202012Validator(document).validate(body)
        return body

    return _validate


@pytest.fixture
def sample(db):
    """Two themes; visible, hidden and decided proposals; visible, hidden, deleted comments."""
    ana = UserFactory(email=SECRET_EMAILS[0], display_name="Ana", sector="academia")
    beto = UserFactory(email=SECRET_EMAILS[1], display_name="Beto", sector="sociedad_civil")
    carla = UserFactory(email=SECRET_EMAILS[2], display_name="Carla", sector="sector_publico")
    salud = ThemeFactory(slug="salud")
    agua = ThemeFactory(slug="agua", plan=salud.plan)
    now = utcnow()
    popular = ProposalFactory(theme=salud, author=ana, title="Vacunas con datos abiertos",
                              vote_count=30, comment_count=1, created_at=now - timedelta(days=3))
    recent = ProposalFactory(theme=salud, author=beto, title="Compras de medicinas",
                             vote_count=5, comment_count=9, created_at=now - timedelta(days=1))
    accepted = ProposalFactory(theme=agua, author=carla, title="Calidad del agua municipal",
                               status="accepted", response="Se incluye en el borrador.",
                               vote_count=12, comment_count=0, created_at=now - timedelta(days=2))
    hidden = ProposalFactory(theme=agua, author=beto, title="Contenido ocultado", hidden=True,
                             hidden_reason="spam", vote_count=99)
    visible_comment = CommentFactory(proposal_id=popular.id, author_id=beto.id,
                                     body="Muy **buena** idea", alignment="in_favor")
    reply = CommentFactory(proposal_id=popular.id, author_id=ana.id,
                           parent_id=visible_comment.id, body="Gracias")
    hidden_comment = CommentFactory(proposal_id=popular.id, author_id=carla.id,
                                    body="Comentario ocultado", hidden=True)
    deleted_comment = CommentFactory(proposal_id=popular.id, author_id=carla.id,
                                     body="Comentario borrado", deleted_at=now)
    return SimpleNamespace(**locals())


def assert_no_secret_email(text: str) -> None:
    for email in SECRET_EMAILS:
        assert email not in text
        assert email.split("@")[0] + "@" not in text


def body_text(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False) if response.is_json else \
        response.get_data(as_text=True)
