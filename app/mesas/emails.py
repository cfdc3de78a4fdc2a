"""Emails about mesa registrations, each with the .ics attached (sent after the commit)."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from app import mail
from app.mesas.calendar import mesa_ics
from app.models import Mesa, MesaRegistration
from app.urls import absolute_url, site_host


def mesa_url(mesa: Mesa) -> str:
    return absolute_url("mesas.index", _anchor=f"mesa-{mesa.id}")


def ics_for(mesa: Mesa) -> bytes:
    """The meeting's calendar file (URL and UID from app/urls.py's absolute URLs)."""
    return mesa_ics(mesa, url=mesa_url(mesa), host=site_host())


def registration_message(registration: MesaRegistration, *, promoted: bool = False
                         ) -> mail.Message:
    """The confirmation (seat, waiting list, or promotion from the waiting list)."""
    mesa = registration.mesa
    if registration.status == "registered":
        subject = _("Inscripción confirmada: mesa técnica %(n)d", n=mesa.number)
    else:
        subject = _("Lista de espera: mesa técnica %(n)d", n=mesa.number)
    body = render_template("mesas/email/registration.txt", registration=registration,
                           mesa=mesa, user=registration.user, promoted=promoted,
                           link=absolute_url("mesas.index"))
    attachment = mail.Attachment(filename=f"mesa-{mesa.number}.ics", content=ics_for(mesa),
                                 mimetype="text/calendar")
    return mail.Message(to=registration.user.email, subject=subject, body=body,
                        attachments=[attachment])


def send_registration_emails(registrations: list[MesaRegistration], *, promoted: bool = False
                             ) -> None:
    """Queue the confirmations; call before the commit (they leave after it)."""
    for registration in registrations:
        mail.queue(registration_message(registration, promoted=promoted))


def change_message(registration: MesaRegistration) -> mail.Message:
    """The meeting changed (time or place) or was cancelled: the updated .ics attached
    (its SEQUENCE raised; METHOD:CANCEL for a cancellation)."""
    mesa = registration.mesa
    if mesa.is_cancelled:
        subject = _("Reunión cancelada: %(title)s", title=mesa.display_title)
    else:
        subject = _("Cambio de fecha o lugar: %(title)s", title=mesa.display_title)
    body = render_template("mesas/email/change.txt", mesa=mesa, user=registration.user,
                           link=absolute_url("mesas.index"))
    attachment = mail.Attachment(filename=f"reunion-{mesa.id}.ics", content=ics_for(mesa),
                                 mimetype="text/calendar")
    return mail.Message(to=registration.user.email, subject=subject, body=body,
                        attachments=[attachment])


def send_change_emails(registrations: list[MesaRegistration]) -> None:
    """Queue the change notices; call before the commit (they leave after it)."""
    for registration in registrations:
        mail.queue(change_message(registration))
