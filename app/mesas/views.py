"""The co-creation working sessions (mesas): schedule, calendar files, registration,
and the organizers' pages (edit, registrations, CSV export, attendance)."""
from __future__ import annotations

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
from wtforms import SelectChoice

from app.auth.session import role_required
from app.csvfile import csv_response
from app.errors import InvalidInput
from app.extensions import db
from app.forms import form_status, submit
from app.mesas import meetings, services
from app.mesas.calendar import feed_ics
from app.mesas.emails import ics_for, mesa_url, send_change_emails, send_registration_emails
from app.mesas.forms import CancelForm, MeetingForm, MesaForm
from app.models.base import utcnow
from app.plans import services as plans
from app.proposals.queries import all_themes, find_theme
from app.templating import SECTOR_LABELS
from app.urls import site_host

bp = Blueprint("mesas", __name__)


@bp.app_template_global("next_mesa")
def next_mesa_of(theme):
    """The theme's next mesa (theme pages), or None."""
    return services.next_mesa(theme)


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


@bp.route("/mesas.ics")
def feed():
    """Every meeting of the current plan as one calendar, for calendar subscription."""
    mesas = services.list_mesas()
    body = feed_ics(mesas, url_of=mesa_url, host=site_host(),
                    name=_("Cocrea: reuniones del plan de acción"))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="mesas.ics"',
        "Cache-Control": "public, max-age=300"})


@bp.route("/mesas/new", methods=["GET", "POST"])
@role_required("moderator")
def new():
    """Convene a meeting: a co-creation mesa (any round of a theme), forum or implementation."""
    plan = plans.require_current_plan()
    form = MeetingForm()
    _meeting_choices(form)
    if form.validate_on_submit():
        try:
            mesa = meetings.create_mesa(
                current_user, plan, kind=form.kind.data, theme=find_theme(form.theme.data),
                theme_given=bool(form.theme.data), title=form.title.data,
                starts_at=form.starts_at.data, ends_at=form.ends_at.data,
                place=form.place.data, online_url=form.online_url.data,
                capacity=form.capacity.data)
        except InvalidInput as error:
            field = getattr(form, error.field or "kind", form.kind)
            field.errors = [*field.errors, error.message]
        else:
            db.session.commit()
            flash(_("La reunión fue convocada."), "success")
            return redirect(url_for("mesas.index", _anchor=f"mesa-{mesa.id}"), 303)
    return render_template("mesas/new.html", form=form), (400 if form.errors else 200)


def _meeting_choices(form: MeetingForm) -> None:
    from app.plans.labels import MESA_KIND_LABELS

    form.kind.choices = [SelectChoice(kind, str(label))
                         for kind, label in MESA_KIND_LABELS.items()]
    form.theme.choices = [SelectChoice("", _("Ninguna (foro o implementación)"))] + [
        SelectChoice(theme.slug, theme.name) for theme in all_themes()]


@bp.route("/mesas/<int:mesa_id>/cancel", methods=["POST"])
@role_required("moderator")
def cancel(mesa_id: int):
    """Cancel a meeting with a public reason; everyone registered is emailed (METHOD:CANCEL)."""
    mesa = services.get_mesa(mesa_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return render_template("mesas/edit.html", mesa=mesa, form=_edit_form(mesa, formdata=None),
                               cancel_form=form), 400
    notified = meetings.cancel_mesa(current_user, mesa, form.reason.data)
    send_change_emails(notified)
    db.session.commit()
    flash(_("La reunión fue cancelada y se avisó a %(n)d personas inscritas.", n=len(notified)),
          "success")
    return redirect(url_for("mesas.index", _anchor=f"mesa-{mesa.id}"), 303)


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
    form = _edit_form(mesa)
    before = meetings.Schedule.of(mesa)
    if request.method == "POST":
        ok, promoted = submit(form, services.update_mesa, mesa, day=form.day.data,
                              starts=form.starts.data, ends=form.ends.data,
                              place=form.place.data, capacity=form.capacity.data)
        if ok:
            send_registration_emails(promoted, promoted=True)
            send_change_emails(meetings.record_update(current_user, mesa, before))
            db.session.commit()
            flash(_("La mesa técnica fue actualizada."), "success")
            return redirect(url_for("mesas.registrations", mesa_id=mesa.id), 303)
    return render_template("mesas/edit.html", mesa=mesa, form=form,
                           cancel_form=CancelForm(formdata=None)), form_status(form)


def _edit_form(mesa, **kwargs) -> MesaForm:
    local_start, local_end = (value.astimezone(services.GUATEMALA)
                              for value in (mesa.starts_at, mesa.ends_at))
    return MesaForm(data={"day": local_start.date(), "starts": local_start.time(),
                          "ends": local_end.time(), "place": mesa.place,
                          "capacity": mesa.capacity}, **kwargs)


@bp.route("/mesas/<int:mesa_id>/registrations")
@role_required("moderator")
def registrations(mesa_id: int):
    """Who registered (and who is waiting), with the attendance form after the session."""
    mesa = services.get_mesa(mesa_id)
    return render_template("mesas/registrations.html", mesa=mesa,
                           registrations=services.mesa_registrations(mesa),
                           started=mesa.starts_at <= utcnow())


@bp.route("/mesas/<int:mesa_id>/registrations.csv")
@role_required("moderator")
def registrations_csv(mesa_id: int):
    """The attendance sheet: name, organization, sector, email, registered at."""
    mesa = services.get_mesa(mesa_id)
    rows = ((registration.user.display_name, registration.user.organization or "",
             str(SECTOR_LABELS[registration.user.sector]), registration.user.email,
             registration.created_at.astimezone(UTC).isoformat(), registration.status,
             "yes" if registration.attended else "no")
            for registration in services.mesa_registrations(mesa))
    return csv_response(["name", "organization", "sector", "email", "registered_at", "status",
                         "attended"], rows, f"mesa-{mesa.number}-inscripciones.csv",
                        headers={"Cache-Control": "no-store"})


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
