"""The repository's pages: filing, downloading, withdrawing, listing and the API."""
from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import Document, ModerationAction
from tests.factories import (
    DocumentFactory,
    MesaFactory,
    ModeratorFactory,
    PlanFactory,
    UserFactory,
)
from tests.repository import samples


def _documents(db) -> int:
    return db.session.scalar(select(func.count(Document.id)))


def test_moderator_files_a_pdf_and_anyone_downloads_it_as_an_attachment(
        client, db, moderator, mesa, upload, stored_files):
    before = stored_files()
    response = upload(samples.PDF, "Minuta mesa 1.pdf", mesa_id=str(mesa.id),
                      plan_id=str(mesa.theme.plan_id))
    assert response.status_code == 303, response.get_data(as_text=True)
    document = db.session.scalar(select(Document))
    assert (document.type, document.mesa_id, document.plan_id) == (
        "minutes", mesa.id, mesa.theme.plan_id)
    assert document.sha256 == hashlib.sha256(samples.PDF).hexdigest()
    assert document.size == len(samples.PDF)
    assert document.original_filename == "Minuta_mesa_1.pdf"
    assert stored_files() - before == {document.stored_name}  # random, not the upload's
    assert "Minuta" not in document.stored_name

    client.post("/auth/logout")
    download = client.get(f"/repository/{document.id}/{document.original_filename}")
    assert download.status_code == 200
    assert download.data == samples.PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_served_name_takes_the_extension_of_the_content(db, moderator, upload):
    plan = PlanFactory()
    response = upload(samples.CSV, "datos.pdf", type="other", plan_id=str(plan.id))
    assert response.status_code == 303
    document = db.session.scalar(select(Document))
    assert (document.original_filename, document.content_type) == ("datos.csv", "text/csv")


def test_a_wrong_filename_in_the_url_redirects_to_the_document(client, db):
    document = DocumentFactory(original_filename="minuta.pdf")
    response = client.get(f"/repository/{document.id}/otro.html")
    assert response.status_code == 308
    assert response.headers["Location"].endswith(f"/repository/{document.id}/minuta.pdf")


MB = 1024 * 1024


@pytest.mark.parametrize(("data", "filename", "message"), [
    (samples.EXE, "informe.pdf", "Solo se aceptan archivos PDF"),
    (samples.HTML, "agenda.html", "Solo se aceptan archivos PDF"),
    (samples.PDF + b"\0" * (21 * MB), "grande.pdf", "El archivo pesa más de 20 MB"),
    (b"", "vacio.pdf", "El archivo está vacío"),
    (samples.PDF, "../../etc/minuta.pdf", "no puede incluir carpetas"),
    (samples.PDF, "..\\minuta.pdf", "no puede incluir carpetas"),
    (None, "", "Seleccione el archivo"),
])
def test_bad_files_answer_400_with_a_message_and_store_nothing(
        db, moderator, upload, stored_files, data, filename, message):
    plan = PlanFactory()
    before = stored_files()
    response = upload(data, filename, plan_id=str(plan.id), title="Informe de avance")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Informe de avance"' in page  # the input is kept
    assert _documents(db) == 0
    assert stored_files() == before


def test_a_missing_title_is_shown_next_to_the_field(db, moderator, upload):
    plan = PlanFactory()
    response = upload(samples.PDF, "minuta.pdf", plan_id=str(plan.id), title="")
    assert response.status_code == 400
    assert 'id="title-error"' in response.get_data(as_text=True)
    assert _documents(db) == 0


def test_participants_cannot_file_documents(client, db, auth, upload):
    auth.login_as(UserFactory())
    plan = PlanFactory()
    assert client.get("/repository/upload").status_code == 403
    assert upload(samples.PDF, plan_id=str(plan.id)).status_code == 403
    assert _documents(db) == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/repository/upload")
    assert response.status_code in (302, 303)
    assert "/auth/login" in response.headers["Location"]


def test_withdrawn_document_is_404_to_the_public_logged_and_kept(
        client, db, moderator, upload, stored_files):
    plan = PlanFactory()
    upload(samples.PDF, "minuta.pdf", plan_id=str(plan.id))
    document = db.session.scalar(select(Document))
    url = f"/repository/{document.id}/{document.original_filename}"

    response = client.post(f"/repository/{document.id}/withdraw",
                           data={"reason": "Se publicó la versión sin firmas por error."})
    assert response.status_code == 303
    action = db.session.scalar(select(ModerationAction).where(
        ModerationAction.target_type == "document"))
    assert (action.action, action.target_id, action.public) == (
        "withdraw_document", document.id, True)
    assert document.stored_name in stored_files()  # kept for the record
    assert client.get(url).status_code == 200  # moderators still reach it

    client.post("/auth/logout")
    assert client.get(url).status_code == 404
    assert document.title not in client.get("/repository").get_data(as_text=True)
    assert client.get("/api/v1/documents").get_json()["total"] == 0
    log = client.get("/transparency").get_data(as_text=True)
    assert "Se publicó la versión sin firmas por error." in log


def test_withdrawing_needs_a_reason(client, db, moderator):
    document = DocumentFactory()
    page = client.get(f"/repository/{document.id}/withdraw")
    assert page.status_code == 200 and 'name="reason"' in page.get_data(as_text=True)
    response = client.post(f"/repository/{document.id}/withdraw", data={"reason": ""})
    assert response.status_code == 400
    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert document.withdrawn_at is None


def test_participants_cannot_withdraw(client, db, auth):
    auth.login_as(UserFactory())
    document = DocumentFactory()
    response = client.post(f"/repository/{document.id}/withdraw",
                           data={"reason": "No me gusta este documento."})
    assert response.status_code == 403
    assert document.withdrawn_at is None


def test_listing_is_newest_first_and_says_when_it_last_changed(client, db):
    DocumentFactory(title="Agenda antigua", type="agenda", document_date=date(2018, 8, 1))
    DocumentFactory(title="Minuta reciente", document_date=date(2018, 9, 1))
    page = client.get("/repository").get_data(as_text=True)
    assert page.index("Minuta reciente") < page.index("Agenda antigua")
    assert "Última actualización" in page


def test_listing_filters_by_type_plan_mesa_and_commitment(client, db):
    mesa = MesaFactory()
    other_plan = PlanFactory(slug="plan-2020")
    DocumentFactory(title="Agenda de la mesa", type="agenda", mesa=mesa,
                    plan=mesa.theme.plan)
    DocumentFactory(title="Informe IRM", type="irm_report", plan=other_plan)

    def titles(query: str) -> set[str]:
        body = client.get(f"/api/v1/documents?{query}").get_json()
        return {item["title"] for item in body["items"]}

    assert titles("type=agenda") == {"Agenda de la mesa"}
    assert titles("plan=plan-2020") == {"Informe IRM"}
    assert titles(f"mesa={mesa.id}") == {"Agenda de la mesa"}
    assert titles("commitment=999") == set()
    html = client.get("/repository?type=irm_report").get_data(as_text=True)
    assert "Informe IRM" in html and "Agenda de la mesa" not in html


@pytest.mark.parametrize("query", ["type=memo", "mesa=uno", "page=99999"])
def test_bad_filters_answer_400(client, db, query):
    assert client.get(f"/repository?{query}").status_code == 400
    response = client.get(f"/api/v1/documents?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"


@pytest.mark.parametrize("query", ["per_page=101", "per_page=0", "page=0"])
def test_the_api_refuses_a_page_size_or_page_out_of_range_where_the_page_clamps_it(
        client, db, query):
    assert client.get(f"/repository?{query}").status_code == 200
    response = client.get(f"/api/v1/documents?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == query.split("=")[0]


def test_documents_api_has_the_contract_shape_and_pages(client, db, validate):
    mesa = MesaFactory()
    for number in range(3):
        DocumentFactory(plan=mesa.theme.plan, mesa=mesa, title=f"Documento {number}")
    body = validate(client.get("/api/v1/documents?per_page=2&page=2"), "/api/v1/documents")
    assert (body["page"], body["per_page"], body["total"]) == (2, 2, 3)
    item = body["items"][0]
    assert set(item) == {"id", "title", "type", "document_date", "url", "mesa_id",
                         "commitment_id"}
    assert item["mesa_id"] == mesa.id and item["commitment_id"] is None
    assert item["url"].startswith("http") and f"/repository/{item['id']}/" in item["url"]


def test_upload_form_offers_the_mesa_it_was_opened_from(client, db, moderator, mesa):
    page = client.get(f"/repository/upload?mesa={mesa.id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert f'<option selected value="{mesa.id}">' in page


def test_only_moderators_may_upload_until_commitments_have_stewards(db):
    from app.models import Document

    assert Document.can_upload(ModeratorFactory()) is True
    assert Document.can_upload(UserFactory(role="public_servant")) is False
    assert Document.can_upload(None) is False
