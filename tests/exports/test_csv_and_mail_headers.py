"""Every CSV download carries the byte-order mark and safe cells; List-Unsubscribe stays plain."""
from __future__ import annotations

import csv
import io

import pytest

from app import mail
from app.csvfile import BOM, safe_cell
from tests.factories import MesaFactory, ModeratorFactory, ProposalFactory, UserFactory

PUBLIC_CSVS = ["/plan/export.csv", "/transparency/participation.csv",
               "/api/v1/export/proposals.csv"]


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+57 5555", "'+57 5555"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("- una viñeta", "- una viñeta"), ("-", "-"),
    ("Anticorrupción", "Anticorrupción"), (None, ""), (12, "12"),
])
def test_a_cell_a_spreadsheet_would_run_is_neutralised(text, expected):
    assert safe_cell(text) == expected


@pytest.mark.parametrize("path", PUBLIC_CSVS)
def test_every_public_csv_starts_with_the_byte_order_mark(client, db, path):
    ProposalFactory(title="=HYPERLINK(\"http://evil.example\") Anticorrupción")
    response = client.get(path)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith(BOM)
    assert "Ã" not in text
    for row in csv.reader(io.StringIO(text.removeprefix(BOM))):
        assert not any(cell[:1] in ("=", "+", "@") for cell in row), row


def test_the_mesa_registrations_csv_has_the_mark_and_safe_names(client, auth, db):
    from app.mesas import services

    mesa = MesaFactory()
    person = UserFactory(display_name="=cmd|' /C calc'!A0", organization="-2+3 Asociación")
    services.register_for_mesa(mesa, person)
    db.session.flush()
    auth.login_as(ModeratorFactory())
    text = client.get(f"/mesas/{mesa.id}/registrations.csv").get_data(as_text=True)
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[1][0] == "'=cmd|' /C calc'!A0" and rows[1][1] == "'-2+3 Asociación"


@pytest.mark.parametrize("length", [40, 200, 2000])
def test_list_unsubscribe_is_a_plain_url_at_every_length(app, length):
    url = "https://cocrea.example.gt/account/unsubscribe/" + "a" * length
    message = mail.Message(to="ana@ejemplo.org", subject="Nuevo comentario en «Educación»",
                           body="Hola", headers={"List-Unsubscribe": f"<{url}>",
                                                 "List-Unsubscribe-Post":
                                                 "List-Unsubscribe=One-Click"})
    with app.app_context():
        raw = mail.build(message).as_bytes()
    assert f"List-Unsubscribe: <{url}>".encode() in raw
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    assert b"=?utf-8?q?=3C" not in raw


def test_a_line_break_cannot_enter_a_plain_header(app):
    message = mail.Message(to="ana@ejemplo.org", subject="x", body="y",
                           headers={"List-Unsubscribe": "<https://x>\r\nBcc: evil@example.org"})
    with app.app_context(), pytest.raises(ValueError):
        mail.build(message)
