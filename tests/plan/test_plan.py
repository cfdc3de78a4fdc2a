"""The plan draft: numbering, editing, traceability on /plan, versions and the four exports."""
from __future__ import annotations

import csv
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from app.extensions import db as _db
from app.models import Commitment, Theme
from app.moderation.services import decide_proposal
from app.plan import services
from app.plan.serializers import plan_document
from tests.factories import ModeratorFactory, ProposalFactory, UserFactory

RESPONSE = "Aceptada: responde a un problema público priorizado en la mesa técnica."


@pytest.fixture
def themes(seeded):
    """The current (2018) plan's 12 themes; the seed's 3rd plan has its own five."""
    from app.plans.services import current_plan_id_subquery

    return list(_db.session.scalars(select(Theme).where(
        Theme.plan_id == current_plan_id_subquery()).order_by(Theme.position)))


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


def accept(moderator, theme, **fields):
    proposal = ProposalFactory(theme=theme, **fields)
    decide_proposal(moderator, proposal, "accepted", RESPONSE)
    return proposal, services.commitments_of(proposal)[0]


def test_numbering_follows_the_order_of_the_mesas(themes, moderator):
    _, late = accept(moderator, themes[5])
    _, early = accept(moderator, themes[0])
    _, middle = accept(moderator, themes[2])
    assert (early.number, middle.number, late.number) == (1, 2, 3)


def test_moving_a_commitment_within_its_theme_renumbers(themes, moderator):
    _, first = accept(moderator, themes[0])
    _, second = accept(moderator, themes[0])
    _, other = accept(moderator, themes[1])
    services.move_commitment(second, "up")
    assert (second.number, first.number, other.number) == (1, 2, 3)
    with pytest.raises(Exception, match="extremo"):
        services.move_commitment(second, "up")


def test_plan_page_traces_each_commitment_to_its_proposals(client, themes, moderator):
    target, _ = accept(moderator, themes[0], title="Compras abiertas municipales",
                       vote_count=300)
    duplicate = ProposalFactory(theme=themes[0], vote_count=20)
    decide_proposal(moderator, duplicate, "merged", RESPONSE, target.id)
    page = client.get("/plan").get_data(as_text=True)
    assert "Compras abiertas municipales" in page
    assert themes[0].name in page
    assert f"#{target.id}</a>, <a" in page and f"#{duplicate.id}</a>" in page
    assert "320 apoyos" in page


def test_moderator_edits_a_commitment_and_its_milestones(client, auth, themes, moderator):
    _, commitment = accept(moderator, themes[0])
    auth.login_as(moderator)
    url = f"/plan/commitments/{commitment.id}"
    response = client.post(url + "/edit", data={
        "title": "Título revisado", "ogp_values": ["transparency", "participation"],
        "contact_name": "Ana", "contact_email": "ana@minfin.gob.gt",
        "start_date": "2018-09-01", "end_date": "2020-06-30"})
    assert response.status_code == 303
    assert client.post(url + "/edit", data={"title": ""}).status_code == 400
    assert client.post(url + "/edit", data={
        "title": "X", "start_date": "2020-01-01", "end_date": "2019-01-01"}).status_code == 400
    response = client.post(url + "/milestones", data={
        "description": "Publicar el portal", "deliverable": "Portal en línea",
        "start_date": "2018-10-01", "end_date": "2019-03-31", "responsible": "MINFIN"})
    assert response.status_code == 303
    _db.session.expire_all()
    commitment = _db.session.get(Commitment, commitment.id)
    assert commitment.title == "Título revisado"
    assert commitment.ogp_values == ["transparency", "participation"]
    [milestone] = commitment.milestones
    assert milestone.deliverable == "Portal en línea"
    assert client.get(url + "/edit").status_code == 200
    assert client.post(f"/plan/milestones/{milestone.id}/delete",
                       data={"confirm": "yes"}).status_code == 303
    _db.session.expire_all()
    assert _db.session.get(Commitment, commitment.id).milestones == []


def _filled(themes, moderator, count=2):
    for index in range(count):
        _, commitment = accept(moderator, themes[index], title=f"Compromiso de prueba {index}")
        services.add_milestone(commitment, {"description": f"Hito {index}",
                                            "deliverable": "Informe público"})


def test_json_export_equals_the_serializer(client, themes, moderator):
    _filled(themes, moderator)
    response = client.get("/plan/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == json.loads(json.dumps(plan_document(services.current_plan())))
    data = response.get_json()
    assert {"title", "period", "commitments"} <= set(data)
    assert {"number", "theme", "title", "source_proposals"} <= set(data["commitments"][0])


def test_csv_export_parses_back(client, themes, moderator):
    _filled(themes, moderator)
    response = client.get("/plan/export.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename="plan-de-accion-4-2018-2020.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # spreadsheets read the accents
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row["title"] for row in rows] == ["Compromiso de prueba 0", "Compromiso de prueba 1"]
    assert rows[0]["number"] == "1" and "Hito 0" in rows[0]["milestones"]


def test_csv_export_neutralises_formulas(client, themes, moderator):
    accept(moderator, themes[0], title="=HYPERLINK(\"http://x\")")
    text = client.get("/plan/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0]["title"].startswith("'=")


def test_markdown_export(client, themes, moderator):
    _filled(themes, moderator)
    response = client.get("/plan/export.md")
    assert response.headers["Content-Type"].startswith("text/markdown")
    text = response.get_data(as_text=True)
    assert text.startswith("# Cuarto Plan de Acción")
    assert "### Compromiso 1. Compromiso de prueba 0" in text


def test_pdf_export_contains_the_titles(client, themes, moderator):
    _filled(themes, moderator)
    response = client.get("/plan/export.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="plan-de-accion-4-2018-2020.pdf"' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert "Compromiso de prueba 0" in text and "Compromiso de prueba 1" in text


def test_unknown_export_format_is_404(client, seeded):
    assert client.get("/plan/export.docx").status_code == 404


def test_published_versions_stay_readable_and_show_changes(client, auth, themes, moderator):
    _, first = accept(moderator, themes[0], title="Primer compromiso")
    auth.login_as(moderator)
    assert client.post("/plan/versions", data={"label": "Borrador v1, 01-09-2018"}
                       ).status_code == 303
    accept(moderator, themes[1], title="Segundo compromiso")
    services.update_commitment(first, {"title": "Primer compromiso revisado"})
    assert client.post("/plan/versions", data={}).status_code == 303
    old = client.get("/plan/versions/1").get_data(as_text=True)
    assert "Primer compromiso" in old and "Segundo compromiso" not in old
    new = client.get("/plan/versions/2").get_data(as_text=True)
    assert "Segundo compromiso" in new and "nuevo" in new and "modificado" in new
    old_json = client.get("/plan/versions/1/export.json").get_json()
    assert [c["title"] for c in old_json["commitments"]] == ["Primer compromiso"]
    assert client.get("/plan/versions/9").status_code == 404


def test_participants_cannot_publish_versions(client, auth, seeded):
    auth.login_as(UserFactory())
    assert client.post("/plan/versions").status_code == 403


@pytest.mark.parametrize("url", ["/plan", "/plan/export.json"])
def test_plan_costs_a_constant_number_of_queries(app, client, themes, moderator, url):
    def count_queries(path):
        statements = []

        def record(*args):
            statements.append(args[2])

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    _filled(themes, moderator, count=1)
    few = count_queries(url)
    _filled(themes[3:], moderator, count=6)
    assert count_queries(url) == few


def test_hidden_source_proposals_are_left_out_of_the_document(themes, moderator):
    target, _ = accept(moderator, themes[0], vote_count=10)
    duplicate = ProposalFactory(theme=themes[0], vote_count=5)
    decide_proposal(moderator, duplicate, "merged", RESPONSE, target.id)
    duplicate.hidden = True
    _db.session.flush()
    [commitment] = plan_document(services.current_plan())["commitments"]
    assert commitment["source_proposals"] == [target.id]
    assert commitment["source_support_count"] == 10
