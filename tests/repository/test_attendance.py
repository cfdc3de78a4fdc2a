"""The attendance list: generated from the marked attendance, names only with consent."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Document, MesaRegistration
from app.models.base import utcnow
from tests.factories import MesaFactory, UserFactory


@pytest.fixture
def past_mesa(db):
    """A mesa held last week: two attended (one agreed to be listed), one did not come."""
    mesa = MesaFactory(starts_at=utcnow() - timedelta(days=7))
    people = {
        "listed": UserFactory(display_name="Ana Listada", organization="Acción Ciudadana",
                              sector="sociedad_civil", list_in_attendance=True),
        "private": UserFactory(display_name="Beto Reservado", organization="=HYPERLINK(1)",
                               sector="academia", list_in_attendance=False),
        "absent": UserFactory(display_name="Carla Ausente", organization="Ausentes S.A.",
                              list_in_attendance=True),
    }
    for key, user in people.items():
        _db.session.add(MesaRegistration(mesa_id=mesa.id, user_id=user.id,
                                         attended=key != "absent"))
    _db.session.flush()
    return mesa


def test_csv_lists_organizations_and_sectors_and_only_consenting_names(
        client, past_mesa, moderator):
    response = client.get(f"/mesas/{past_mesa.id}/attendance-list.csv")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8-sig")
    assert "Ana Listada,Acción Ciudadana,Sociedad civil" in text
    assert "Beto Reservado" not in text and "(no publicado)" in text
    assert "'=HYPERLINK(1)" in text  # neutralised: a spreadsheet shows it as text
    assert "Carla" not in text and "Ausentes" not in text
    assert "@" not in text  # never an email


def test_pdf_lists_the_same_people(client, past_mesa, moderator):
    response = client.get(f"/mesas/{past_mesa.id}/attendance-list.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Ana Listada" in text and "Acción Ciudadana" in text
    assert "Beto Reservado" not in text and "Carla" not in text


def test_moderator_files_the_list_and_the_mesa_shows_it(client, past_mesa, moderator):
    response = client.post(f"/mesas/{past_mesa.id}/attendance-list", data={"format": "csv"})
    assert response.status_code == 303
    document = _db.session.scalar(select(Document))
    assert (document.type, document.mesa_id, document.content_type) == (
        "attendance", past_mesa.id, "text/csv")
    assert document.plan_id == past_mesa.theme.plan_id
    client.post("/auth/logout")
    page = client.get("/mesas").get_data(as_text=True)
    assert document.title in page
    assert f"/repository/{document.id}/{document.original_filename}" in page
    download = client.get(f"/repository/{document.id}/{document.original_filename}")
    assert "Ana Listada" in download.data.decode("utf-8-sig")


def test_an_unknown_format_is_refused(client, past_mesa, moderator):
    assert client.post(f"/mesas/{past_mesa.id}/attendance-list",
                       data={"format": "html"}).status_code == 400
    assert client.get(f"/mesas/{past_mesa.id}/attendance-list.html").status_code == 404
    assert _db.session.scalar(select(Document)) is None


def test_participants_cannot_generate_or_file_the_list(client, past_mesa, auth):
    auth.login_as(UserFactory())
    assert client.get(f"/mesas/{past_mesa.id}/attendance-list.csv").status_code == 403
    assert client.post(f"/mesas/{past_mesa.id}/attendance-list",
                       data={"format": "pdf"}).status_code == 403


def test_participant_agrees_to_be_listed_from_the_account_page(client, db, auth):
    user = auth.login_as(UserFactory(list_in_attendance=False))
    page = client.get("/account").get_data(as_text=True)
    assert 'name="list_in_attendance"' in page
    response = client.post("/account", data={
        "display_name": user.display_name, "sector": user.sector, "organization": "ONG",
        "locale": "es", "list_in_attendance": "y"})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.list_in_attendance is True
