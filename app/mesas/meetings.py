"""Convening, rescheduling and cancelling meetings (moderators).

Meetings are co-creation mesas (one theme of the plan; a theme may hold several rounds),
meetings of the multistakeholder forum, and implementation meetings. Every change is
written to the public transparency log; a change of time or place, or a cancellation,
raises the meeting's SEQUENCE and returns the registrations to notify (the view emails them
after the commit). Verbs flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.models import ActionPlan, Mesa, MesaRegistration, Theme, User
from app.models.base import utcnow
from app.models.mesa import MESA_KINDS
from app.plans.services import log_change

GUATEMALA = ZoneInfo("America/Guatemala")
MAX_CAPACITY = 10_000


@dataclass(frozen=True)
class Schedule:
    """What registrants are told about: when and where."""

    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str | None

    @classmethod
    def of(cls, mesa: Mesa) -> Schedule:
        return cls(mesa.starts_at, mesa.ends_at, mesa.place, mesa.online_url)


def _aware(value: datetime | None, field: str) -> datetime:
    if value is None:
        raise InvalidInput(_("Indique la fecha y la hora (AAAA-MM-DDTHH:MM)."), field=field)
    return value.replace(tzinfo=GUATEMALA) if value.tzinfo is None else value


def _clean_url(value: str | None) -> str | None:
    url = (value or "").strip()
    if not url:
        return None
    if len(url) > 500 or not url.startswith(("https://", "http://")) or any(
            ch.isspace() for ch in url):
        raise InvalidInput(_("Escriba una dirección web completa (https://...)."),
                           field="online_url")
    return url


def create_mesa(moderator: User, plan: ActionPlan, *, kind: str, theme: Theme | None,
                theme_given: bool, title: str, starts_at: datetime | None,
                ends_at: datetime | None, place: str, online_url: str | None,
                capacity: int | None) -> Mesa:
    """Convene a meeting of `plan`. `starts_at`/`ends_at` are naive Guatemala times (or
    aware). A co-creation mesa needs one of the plan's themes (`theme_given` with `theme`
    None: an unknown slug); other kinds have none. Errors: InvalidInput naming the field."""
    if kind not in MESA_KINDS:
        raise InvalidInput(_("Elija el tipo de reunión."), field="kind")
    if kind == "cocreation":
        if theme is None:
            message = (_("Temática desconocida.") if theme_given
                       else _("Una mesa de co-creación trabaja sobre una temática: elija una."))
            raise InvalidInput(message, field="theme")
        if theme.plan_id != plan.id:
            raise InvalidInput(_("La temática no pertenece al plan actual."), field="theme")
    else:
        theme = None
    title = " ".join((title or "").split())
    if len(title) > 200:
        raise InvalidInput(_("El título puede tener hasta 200 caracteres."), field="title")
    if kind != "cocreation" and not title:
        raise InvalidInput(_("Escriba el título de la reunión."), field="title")
    starts, ends = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
    if ends <= starts:
        raise InvalidInput(_("La reunión debe terminar después de empezar."), field="ends_at")
    place = " ".join((place or "").split())
    url = _clean_url(online_url)
    if not place and not url:
        raise InvalidInput(_("Indique el lugar o el enlace de la reunión en línea."),
                           field="place")
    if len(place) > 300:
        raise InvalidInput(_("El lugar puede tener hasta 300 caracteres."), field="place")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(_("El cupo debe estar entre 1 y %(max)d.", max=MAX_CAPACITY),
                           field="capacity")
    number = (db.session.scalar(
        select(func.max(Mesa.number)).where(Mesa.plan_id == plan.id)) or 0) + 1
    mesa = Mesa(plan_id=plan.id, kind=kind, theme_id=theme.id if theme else None,
                number=number, title=title, starts_at=starts, ends_at=ends, place=place,
                online_url=url, capacity=capacity)
    db.session.add(mesa)
    db.session.flush()
    log_change(moderator, "mesa_created", "mesa", mesa.id,
               f"{mesa.display_title} ({starts.astimezone(GUATEMALA):%Y-%m-%d %H:%M})")
    return mesa


def registrants(mesa: Mesa) -> list[MesaRegistration]:
    """Everyone registered or waiting, with their accounts (one query)."""
    return list(db.session.scalars(
        select(MesaRegistration).options(joinedload(MesaRegistration.user))
        .where(MesaRegistration.mesa_id == mesa.id)
        .order_by(MesaRegistration.created_at, MesaRegistration.id)))


def record_update(moderator: User, mesa: Mesa, before: Schedule) -> list[MesaRegistration]:
    """After an edit: log it; when the time or place changed, raise SEQUENCE and return the
    registrations to email with the updated calendar file."""
    rescheduled = Schedule.of(mesa) != before
    if rescheduled:
        mesa.sequence += 1
    when = mesa.starts_at.astimezone(GUATEMALA)
    log_change(moderator, "mesa_updated", "mesa", mesa.id,
               f"{mesa.display_title} ({when:%Y-%m-%d %H:%M}, {mesa.place})")
    db.session.flush()
    return registrants(mesa) if rescheduled else []


def cancel_mesa(moderator: User, mesa: Mesa, reason: str) -> list[MesaRegistration]:
    """Cancel `mesa` with a public `reason`; returns the registrations to email.
    Errors: InvalidInput (reason), Conflict (already cancelled or already held)."""
    reason = (reason or "").strip()
    if len(reason) < 5 or len(reason) > 2000:
        raise InvalidInput(_("Explique el motivo de la cancelación (entre 5 y 2000 "
                             "caracteres)."), field="reason")
    if mesa.is_cancelled:
        raise Conflict(_("Esta reunión ya fue cancelada."))
    if mesa.is_past():
        raise Conflict(_("Esta reunión ya se realizó; no se puede cancelar."))
    mesa.cancelled_at = utcnow()
    mesa.cancel_reason = reason
    mesa.sequence += 1
    log_change(moderator, "mesa_cancelled", "mesa", mesa.id, f"{mesa.display_title}: {reason}")
    db.session.flush()
    return registrants(mesa)
