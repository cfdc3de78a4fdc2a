"""`flask demo` files the agenda of every mesa in the repository, once."""
from __future__ import annotations

from sqlalchemy import func, select

from app.cli.demo import add_demo_users
from app.extensions import db as _db
from app.models import Document, Mesa
from app.repository import demo_data


def test_demo_files_one_agenda_per_mesa_once(client, seeded):
    add_demo_users()
    demo_data.add_demo_content()
    demo_data.add_demo_content()  # a second run adds nothing
    documents = _db.session.scalars(select(Document)).all()
    mesas = _db.session.scalar(select(func.count(Mesa.id)))
    assert len(documents) == mesas == 12
    assert {document.type for document in documents} == {"agenda"}
    assert len({document.mesa_id for document in documents}) == 12
    first = documents[0]
    download = client.get(f"/repository/{first.id}/{first.original_filename}")
    assert download.status_code == 200
    assert "Registro de participantes" in download.data.decode("utf-8-sig")
