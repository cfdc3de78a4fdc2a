"""`flask demo` files the agenda of every mesa in the repository, and a past forum meeting
with its agenda, minutes and attendance list, once."""
from __future__ import annotations

from sqlalchemy import func, select

from app.cli.demo import add_demo_users
from app.extensions import db as _db
from app.models import Document, Mesa
from app.repository import demo_data


def test_demo_files_one_agenda_per_mesa_and_a_past_forum_record_once(client, seeded):
    add_demo_users()
    demo_data.add_demo_content()
    demo_data.add_demo_content()  # a second run adds nothing
    documents = _db.session.scalars(select(Document).order_by(Document.id)).all()
    assert _db.session.scalar(select(func.count(Mesa.id))) == 13
    agendas = [document for document in documents if document.type == "agenda"]
    assert len({document.mesa_id for document in agendas}) == len(agendas) == 13
    forum = _db.session.scalar(select(Mesa).where(Mesa.kind == "forum"))
    assert forum.is_past()
    assert sorted(document.type for document in documents if document.mesa_id == forum.id) == [
        "agenda", "attendance", "minutes"]
    first = documents[0]
    download = client.get(f"/repository/{first.id}/{first.original_filename}")
    assert download.status_code == 200
    assert "Registro de participantes" in download.data.decode("utf-8-sig")
