"""The attendance list of a mesa, generated from the marked attendance (OGP repository).

A row per person marked as attended: organization and sector always; the name only for
people who agreed to be listed (`User.list_in_attendance`). Never an email. CSV (UTF-8 with
BOM, formula cells neutralised) or PDF (WeasyPrint, the plan PDF's stylesheet).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from app.csvfile import csv_text
from app.extensions import db
from app.models import Document, Mesa, MesaRegistration, User
from app.models.base import utcnow
from app.repository import services
from app.templating import SECTOR_LABELS

FORMATS = ("pdf", "csv")


@dataclass(frozen=True)
class AttendanceRow:
    name: str | None  # None: the person did not agree to be listed by name
    organization: str
    sector: str  # the sector's label in the current language


def attendance_rows(mesa: Mesa) -> list[AttendanceRow]:
    """Everyone marked as attended, by sector then organization (one query)."""
    users = db.session.scalars(
        select(User).join(MesaRegistration, MesaRegistration.user_id == User.id)
        .where(MesaRegistration.mesa_id == mesa.id, MesaRegistration.attended.is_(True))
        .order_by(User.sector, User.organization, User.display_name, User.id)
    ).all()
    return [AttendanceRow(name=user.display_name if user.list_in_attendance else None,
                          organization=user.organization or "",
                          sector=str(SECTOR_LABELS[user.sector])) for user in users]


def filename(mesa: Mesa, fmt: str) -> str:
    return f"mesa-{mesa.number}-asistencia.{fmt}"


def title(mesa: Mesa) -> str:
    return _("Lista de asistencia: mesa %(number)d, %(theme)s", number=mesa.number,
             theme=mesa.display_title)


def to_csv(rows: list[AttendanceRow]) -> bytes:
    """The list as CSV bytes (UTF-8 with the byte-order mark, cells made safe by app.csvfile)."""
    return csv_text(["name", "organization", "sector"],
                    ([row.name or _("(no publicado)"), row.organization, row.sector]
                     for row in rows)).encode("utf-8")


def to_pdf(mesa: Mesa, rows: list[AttendanceRow]) -> bytes:
    from weasyprint import CSS, HTML

    from app.plan.pdf import _stylesheet

    html = render_template("repository/attendance_print.html", mesa=mesa, rows=rows,
                           title=title(mesa), generated_at=utcnow())
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(_stylesheet()))])


def render(mesa: Mesa, fmt: str) -> bytes:
    """The list in `fmt` (`pdf` or `csv`)."""
    rows = attendance_rows(mesa)
    return to_pdf(mesa, rows) if fmt == "pdf" else to_csv(rows)


def file_attendance(mesa: Mesa, user, fmt: str, max_bytes: int) -> Document:
    """Generate the list in `fmt` and file it in the repository as the mesa's `attendance`
    document, dated the day of the mesa (Guatemala time). Raises as `upload_document`."""
    data = render(mesa, fmt)
    day = mesa.starts_at.astimezone(ZoneInfo("America/Guatemala")).date()
    return services.upload_document(
        user=user, stream=io.BytesIO(data), filename=filename(mesa, fmt), title=title(mesa),
        type="attendance", document_date=day, max_bytes=max_bytes, mesa=mesa)
