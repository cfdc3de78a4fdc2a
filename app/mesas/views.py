"""The co-creation working sessions (mesas): schedule, calendar files, registration,
and the organizers' pages (edit, registrations, CSV export, attendance)."""
from __future__ import annotations

import csv
import io
from datetime import UTC

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.session import role_required
from app.errors import InvalidInput
from app.extensions import db
from app.mesas import services
from app.mesas.emails import ics_for, send_registration_emails
from app.mesas.forms import MesaForm
from app.models.base import utcnow
from app.templating import SECTOR_LABELS

bp = Blueprint("mesas", __name__)


@bp.route("/mesas")
def index():
    """The schedule of the 12 mesas, upcoming first, then past ones, each with its public
    documents (agenda, minutes, attendance list)."""
    from app.repository.forms import TYPE_LABELS
    from app.repository.services import documents_by_mesa

    mesas = services.list_mesas()
    now = utcnow()
    return render_template(
        "mesas/index.html",
        upcoming=[mesa for mesa in mesas if not mesa.is_past(now)],
        past=[mesa for mesa in mesas if mesa.is_past(now)],
        mine=services.registrations_of(current_user),
        documents=documents_by_mesa(mesa.id for mesa in mesas), TYPE_LABELS=TYPE_LABELS,
    )


@bp.route("/mesas/<int:mesa_id>.ics")
def calendar(mesa_id: int):
    """The mesa as an iCalendar file, to add it to a calendar."""
    mesa = services.get_mesa(mesa_id)
    return Response(ics_for(mesa), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="mesa-{mesa.number}.ics"'})


def _after_change(mesa, message: str, category: str = "success"):
    if request.headers.get("HX-Request"):
        registration = services.registrations_of(current_user).get(mesa.id)
        # The seats left changed too: sent out of band to the table's "Cupos disponibles".
        return (render_template("mesas/_registration.html", mesa=mesa,
                                registration=registration, message=message)
                + render_template("mesas/_seats.html", mesa=mesa, oob=True))
    flash(message, category)
    return redirect(url_for("mesas.index", _anchor=f"mesa-{mesa.id}"), 303)


@bp.route("/mesas/<int:mesa_id>/register", methods=["POST"])
@login_required
def register(mesa_id: int):
    """Take a seat, or a place on the waiting list when the mesa is full."""
    mesa = services.get_mesa(mesa_id)
    result = services.register_for_mesa(
        mesa, current_user, require_confirmation=current_app.config["REQUIRE_EMAIL_CONFIRMATION"])
    send_registration_emails([result.registration])
    db.session.commit()
    if result.status == "registered":
        return _after_change(mesa, _("Su inscripción quedó confirmada. Le enviamos un correo "
                                     "con el archivo de calendario."))
    return _after_change(mesa, _("La mesa está llena: usted quedó en la lista de espera. Le "
                                 "avisaremos si se libera un cupo."), "warning")


@bp.route("/mesas/<int:mesa_id>/unregister", methods=["POST"])
@login_required
def unregister(mesa_id: int):
    """Cancel the registration; the seat goes to the first person waiting."""
    mesa = services.get_mesa(mesa_id)
    result = services.unregister_from_mesa(mesa, current_user)
    send_registration_emails(result.promoted, promoted=True)
    db.session.commit()
    return _after_change(mesa, _("Su inscripción fue cancelada."))


@bp.route("/mesas/<int:mesa_id>/edit", methods=["GET", "POST"])
@role_required("moderator")
def edit(mesa_id: int):
    """Change the date, hours, place and capacity of a mesa."""
    mesa = services.get_mesa(mesa_id)
    local_start, local_end = (value.astimezone(services.GUATEMALA)
                              for value in (mesa.starts_at, mesa.ends_at))
    form = MesaForm(data={"day": local_start.date(), "starts": local_start.time(),
                          "ends": local_end.time(), "place": mesa.place,
                          "capacity": mesa.capacity})
    if form.validate_on_submit():
        try:
            promoted = services.update_mesa(
                mesa, day=form.day.data, starts=form.starts.data, ends=form.ends.data,
                place=form.place.data, capacity=form.capacity.data)
        except InvalidInput as error:
            getattr(form, error.field or "place").errors.append(error.message)
        else:
            send_registration_emails(promoted, promoted=True)
            db.session.commit()
            flash(_("La mesa técnica fue actualizada."), "success")
            return redirect(url_for("mesas.registrations", mesa_id=mesa.id), 303)
    status = 400 if form.errors else 200
    return render_template("mesas/edit.html", mesa=mesa, form=form), status


@bp.route("/mesas/<int:mesa_id>/registrations")
@role_required("moderator")
def registrations(mesa_id: int):
    """Who registered (and who is waiting), with the attendance form after the session."""
    mesa = services.get_mesa(mesa_id)
    return render_template("mesas/registrations.html", mesa=mesa,
                           registrations=services.mesa_registrations(mesa),
                           started=mesa.starts_at <= utcnow())


def _csv_cell(value) -> str:
    # A leading =, +, - or @ would run as a formula in a spreadsheet.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@bp.route("/mesas/<int:mesa_id>/registrations.csv")
@role_required("moderator")
def registrations_csv(mesa_id: int):
    """The attendance sheet: name, organization, sector, email, registered at."""
    mesa = services.get_mesa(mesa_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "organization", "sector", "email", "registered_at", "status",
                     "attended"])
    for registration in services.mesa_registrations(mesa):
        user = registration.user
        writer.writerow([_csv_cell(cell) for cell in (
            user.display_name, user.organization or "", str(SECTOR_LABELS[user.sector]),
            user.email, registration.created_at.astimezone(UTC).isoformat(),
            registration.status, "yes" if registration.attended else "no")])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="mesa-{mesa.number}-inscripciones.csv"',
        "Cache-Control": "no-store"})


@bp.route("/mesas/<int:mesa_id>/attendance", methods=["POST"])
@role_required("moderator")
def attendance(mesa_id: int):
    """Record who attended (checkboxes `attended` with registration ids)."""
    mesa = services.get_mesa(mesa_id)
    values = request.form.getlist("attended")
    if not all(value.isascii() and value.isdigit() and len(value) < 10 for value in values):
        raise InvalidInput(_("La lista de asistencia no es válida."))
    count = services.mark_attendance(mesa, {int(value) for value in values})
    db.session.commit()
    flash(_("Asistencia registrada: %(n)d personas.", n=count), "success")
    return redirect(url_for("mesas.registrations", mesa_id=mesa.id), 303)
