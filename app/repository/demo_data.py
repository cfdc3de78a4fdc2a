"""Demo repository: the agenda of each mesa (CSV), and a past meeting of the
multi-stakeholder forum with its agenda, minutes (PDF) and attendance list, filed by the
demo moderator (so the repository, the mesa records and /transparency/ogp have a past).

Called by `flask demo` (DEMO_CONTENT_MODULES); the files go to the configured storage.
"""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Document, Mesa, MesaRegistration, User
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


FORUM_AGENDA = (
    ("15:00", "Bienvenida y quórum del foro"),
    ("15:15", "Cronograma del proceso de co-creación del plan"),
    ("16:00", "Metodología de las mesas técnicas y del repositorio"),
    ("17:30", "Acuerdos"),
)


def _agenda_csv(mesa: Mesa, agenda=AGENDA) -> bytes:
    lines = ["hora,actividad"] + [f'{hour},"{activity.format(theme=mesa.display_title)}"'
                                  for hour, activity in agenda]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


FORUM_AGREEMENTS = (
    "Aprobar el cronograma de co-creación del plan y publicarlo en la plataforma.",
    "Convocar las mesas técnicas de las 12 temáticas con la sociedad civil.",
    "Publicar la agenda, la minuta y la lista de asistencia de cada mesa en el repositorio.",
)
PDF_PAGE = """<!doctype html><html lang="es"><head><meta charset="utf-8">
<title>{title}</title></head><body><h1>{title}</h1><p>{place}, {day}.</p>
<h2>Acuerdos</h2><ol>{items}</ol></body></html>"""


def _minutes_pdf(mesa: Mesa, day: str) -> bytes:
    from html import escape

    from weasyprint import HTML

    items = "".join(f"<li>{escape(agreement)}</li>" for agreement in FORUM_AGREEMENTS)
    return HTML(string=PDF_PAGE.format(title=escape(f"Minuta: {mesa.display_title}"),
                                       place=escape(mesa.place), day=day,
                                       items=items)).write_pdf()


def add_past_forum_meeting(moderator: User) -> Mesa | None:
    """A forum meeting six weeks ago, attended by the demo accounts (consenting to be listed
    by name or not, as they chose), with its agenda, minutes and attendance list filed."""
    from app.mesas.meetings import create_mesa
    from app.plans.services import current_plan
    from app.repository.attendance import file_attendance

    plan = current_plan()
    if plan is None:
        return None
    starts = utcnow().replace(hour=15, minute=0, second=0, microsecond=0) - timedelta(weeks=6)
    mesa = create_mesa(moderator, plan, kind="forum", theme=None, theme_given=False,
                       title="Foro multiactor: arranque del proceso de co-creación",
                       starts_at=starts, ends_at=starts + timedelta(hours=3),
                       place="Secretaría de Gobierno Abierto, Ciudad de Guatemala",
                       online_url=None, capacity=40)
    people = db.session.scalars(select(User).where(User.active.is_(True))
                                .order_by(User.id).limit(12)).all()
    for person in people:
        db.session.add(MesaRegistration(mesa_id=mesa.id, user_id=person.id, attended=True))
    mesa.seats_taken = len(people)
    db.session.flush()
    day = starts.date()
    upload_document(user=moderator, stream=io.BytesIO(_agenda_csv(mesa, FORUM_AGENDA)),
                    filename="agenda-foro.csv", title=f"Agenda: {mesa.display_title}",
                    type="agenda", document_date=day, max_bytes=20 * MB, mesa=mesa)
    upload_document(user=moderator, stream=io.BytesIO(_minutes_pdf(mesa, day.isoformat())),
                    filename="minuta-foro.pdf", title=f"Minuta: {mesa.display_title}",
                    type="minutes", document_date=day, max_bytes=20 * MB, mesa=mesa)
    file_attendance(mesa, moderator, "csv", 20 * MB)
    return mesa


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
    add_past_forum_meeting(moderator)
