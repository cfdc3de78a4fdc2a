"""/plan/commitments/<id>: the commitment's template fields, milestones, sources, paginated
consultation comments, and what changed since the consulted version; its API twin."""
from __future__ import annotations

from app.plan.services import publish_version
from tests.consultation.conftest import add_comment


def test_commitment_page_shows_fields_milestones_and_sources(client, consultation_plan):
    commitment = consultation_plan.first
    response = client.get(f"/plan/commitments/{commitment.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Datos abiertos de compras públicas" in page
    assert "Los datos de compras no se publican." in page
    assert "Portal publicado" in page
    assert f"/proposals/{commitment.source_proposals[0].id}" in page
    assert "Comentarios de la consulta pública" in page


def test_unknown_commitment_is_404(client, db):
    assert client.get("/plan/commitments/999999").status_code == 404
    assert client.get("/api/v1/plan/commitments/999999").status_code == 404


def test_hidden_consultation_comment_shows_a_placeholder(client, consultation_plan):
    add_comment(consultation_plan.first, consultation_plan.participant, body="Insulto",
                hidden=True, hidden_reason="Lenguaje ofensivo")
    page = client.get(f"/plan/commitments/{consultation_plan.first.id}").get_data(as_text=True)
    assert "Insulto" not in page
    assert "Comentario ocultado por la moderación." in page


def test_comments_are_paginated(app, client, consultation_plan, monkeypatch):
    monkeypatch.setitem(app.config, "COMMENTS_PER_PAGE", 3)
    for index in range(5):
        add_comment(consultation_plan.first, consultation_plan.participant,
                    body=f"Comentario número {index}")
    url = f"/plan/commitments/{consultation_plan.first.id}"
    first = client.get(url).get_data(as_text=True)
    assert "Comentario número 4" in first and "Comentario número 1" not in first
    assert "Ver comentarios anteriores" in first
    second = client.get(url + "?comments_page=2").get_data(as_text=True)
    assert "Comentario número 1" in second and "Comentario número 4" not in second


def test_commitment_shows_what_changed_since_the_consulted_version(client, db,
                                                                   consultation_plan):
    url = f"/plan/commitments/{consultation_plan.first.id}"
    assert "Cambios desde la versión consultada" not in client.get(url).get_data(as_text=True)
    consultation_plan.first.title = "Datos abiertos de compras y contrataciones"
    consultation_plan.first.milestones[0].description = "Portal y API publicados"
    db.session.flush()
    publish_version(consultation_plan.plan, consultation_plan.moderator, "Borrador v2")
    page = client.get(url).get_data(as_text=True)
    assert "Cambios desde la versión consultada (Borrador v1)" in page
    assert "modificado (title)" in page
    assert "hitos modificados" in page
    unchanged = client.get(f"/plan/commitments/{consultation_plan.second.id}")
    assert "Sin cambios." in unchanged.get_data(as_text=True)


def test_api_commitment_has_the_contract_shape(client, db, validate, consultation_plan):
    commitment = consultation_plan.first
    add_comment(commitment, consultation_plan.participant, body="Visible",
                alignment="against", disposition="not_incorporated",
                disposition_response="No es viable en el período del plan.")
    add_comment(commitment, consultation_plan.participant, body="Oculto", hidden=True)
    response = client.get(f"/api/v1/plan/commitments/{commitment.id}")
    body = validate(response, "/api/v1/plan/commitments/{id}")
    assert body["id"] == commitment.id and body["number"] == 1
    assert body["title"] == "Datos abiertos de compras públicas"
    assert [m["description"] for m in body["milestones"]] == ["Portal publicado"]
    assert body["source_proposals"] == [commitment.source_proposals[0].id]
    [comment] = body["comments"]
    assert comment["body"] == "Visible" and comment["alignment"] == "against"
    assert comment["disposition"] == "not_incorporated"
    assert comment["response"] == "No es viable en el período del plan."
    assert (body["progress"], body["completion"], body["updates"]) == (0, "not_started", [])
    assert consultation_plan.participant.email not in response.get_data(as_text=True)
