"""Demo repository: the agenda of each mesa (CSV), filed by the demo moderator.

Called by `flask demo` (DEMO_CONTENT_MODULES); the files go to the configured storage.
"""
from __future__ import annotations

import io

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Document, Mesa, User
from app.models.base import utcnow
from app.repository.services import MB, upload_document

MODERATOR_EMAIL = "moderadora@demo.cocrea.gt"
AGENDA = (
    ("08:00", "Registro de participantes"),
    ("08:30", "Bienvenida y objetivos de la mesa"),
    ("09:00", "Presentación del diagnóstico de la temática {theme}"),
    ("10:00", "Trabajo en grupos: problemas, causas y propuestas de compromiso"),
    ("12:00", "Almuerzo"),
    ("13:00", "Plenaria: priorización de propuestas"),
    ("14:30", "Acuerdos y próximos pasos"),
)


def _agenda_csv(mesa: Mesa) -> bytes:
    lines = ["hora,actividad"] + [f'{hour},"{activity.format(theme=mesa.display_title)}"'
                                  for hour, activity in AGENDA]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def add_demo_content() -> None:
    moderator = db.session.scalar(select(User).where(User.email == MODERATOR_EMAIL))
    if moderator is None or db.session.scalar(select(Document.id).limit(1)) is not None:
        return
    today = utcnow().date()
    for mesa in db.session.scalars(select(Mesa).options(joinedload(Mesa.theme))
                                   .order_by(Mesa.number)):
        upload_document(
            user=moderator, stream=io.BytesIO(_agenda_csv(mesa)),
            filename=f"agenda-mesa-{mesa.number}.csv", title=f"Agenda de la mesa {mesa.number}",
            type="agenda", document_date=today, max_bytes=20 * MB, mesa=mesa)
