"""Every rule about the mesas: registration, the waiting list, edits and attendance.

Seats are counted by atomic UPDATEs on `mesas.seats_taken` (never read-modify-write in
Python) and a unique (mesa, user) constraint, so concurrent registrations can neither
over-book a mesa nor register the same person twice. Verbs flush; the view commits once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import joinedload

from app.database import get_or_404
from app.errors import Conflict, Forbidden, InvalidInput
from app.extensions import db
from app.models import Mesa, MesaRegistration, User
from app.models.base import utcnow
from app.models.user import SECTORS

GUATEMALA = ZoneInfo("America/Guatemala")
MAX_CAPACITY = 10_000


@dataclass
class RegistrationResult:
    """What a registration or unregistration changed (the view emails after commit)."""

    registration: MesaRegistration | None
    status: str  # "registered", "waitlisted" or "unregistered"
    promoted: list[MesaRegistration] = field(default_factory=list)


def get_mesa(mesa_id: int) -> Mesa:
    return get_or_404(Mesa, mesa_id, _("No existe esa mesa técnica."),
                      options=[joinedload(Mesa.theme)])


def list_mesas() -> list[Mesa]:
    """The current plan's meetings (cancelled ones included), by date."""
    from app.plans.services import current_plan_id_subquery

    return list(db.session.scalars(
        select(Mesa).options(joinedload(Mesa.theme))
        .where(Mesa.plan_id == current_plan_id_subquery())
        .order_by(Mesa.starts_at, Mesa.number)
    ))


def next_mesa(theme) -> Mesa | None:
    """The theme's next co-creation mesa not yet over and not cancelled (one query)."""
    return db.session.scalar(
        select(Mesa).where(Mesa.theme_id == theme.id, Mesa.ends_at > utcnow(),
                           Mesa.cancelled_at.is_(None))
        .order_by(Mesa.starts_at).limit(1))


def registrations_of(user) -> dict[int, MesaRegistration]:
    """The user's registrations keyed by mesa id (one query, for the schedule page)."""
    if not (user and user.is_authenticated):
        return {}
    rows = db.session.scalars(select(MesaRegistration).where(MesaRegistration.user_id == user.id))
    return {registration.mesa_id: registration for registration in rows}


def _insert_ignoring_duplicate(values: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on both databases; False when the row existed."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover - only the two supported databases
        dialect_insert = insert
    statement = (dialect_insert(MesaRegistration).values(**values).on_conflict_do_nothing()
                 .returning(MesaRegistration.id))
    return db.session.execute(statement).scalar() is not None


def _take_seat(mesa_id: int) -> bool:
    """Atomically take one seat; False when the mesa is full."""
    result = db.session.execute(
        update(Mesa)
        .where(Mesa.id == mesa_id, Mesa.seats_taken < Mesa.capacity)
        .values(seats_taken=Mesa.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_seat(mesa_id: int) -> None:
    db.session.execute(
        update(Mesa)
        .where(Mesa.id == mesa_id, Mesa.seats_taken > 0)
        .values(seats_taken=Mesa.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def _refresh(mesa: Mesa) -> None:
    db.session.expire(mesa, ["seats_taken", "capacity"])


def register_for_mesa(mesa: Mesa, user: User, *, require_confirmation: bool = False
                      ) -> RegistrationResult:
    """Register `user`: a seat if one is left, otherwise a place on the waiting list."""
    if not user.can_participate(require_confirmation):
        raise Forbidden(_("Su cuenta no puede inscribirse en mesas técnicas."))
    if mesa.is_cancelled:
        raise Conflict(_("Esta reunión fue cancelada; no es posible inscribirse."))
    if mesa.is_past():
        raise Conflict(_("Esta mesa técnica ya se realizó; no es posible inscribirse."))
    inserted = _insert_ignoring_duplicate({
        "mesa_id": mesa.id, "user_id": user.id, "status": "waitlisted", "attended": False,
        "created_at": utcnow(),
    })
    if not inserted:
        raise Conflict(_("Ya tiene una inscripción en esta mesa técnica."))
    status = "registered" if _take_seat(mesa.id) else "waitlisted"
    if status == "registered":
        db.session.execute(
            update(MesaRegistration)
            .where(MesaRegistration.mesa_id == mesa.id, MesaRegistration.user_id == user.id)
            .values(status="registered")
            .execution_options(synchronize_session=False)
        )
    _refresh(mesa)
    registration = db.session.scalar(
        select(MesaRegistration)
        .where(MesaRegistration.mesa_id == mesa.id, MesaRegistration.user_id == user.id)
        .execution_options(populate_existing=True)
    )
    return RegistrationResult(registration=registration, status=status)


def unregister_from_mesa(mesa: Mesa, user: User) -> RegistrationResult:
    """Cancel `user`'s registration; the freed seat goes to the oldest waitlisted person."""
    if mesa.is_past():
        raise Conflict(_("Esta mesa técnica ya se realizó; la inscripción no se puede cancelar."))
    deleted = db.session.execute(
        delete(MesaRegistration)
        .where(MesaRegistration.mesa_id == mesa.id, MesaRegistration.user_id == user.id)
        .returning(MesaRegistration.status)
        .execution_options(synchronize_session=False)
    ).scalar()
    if deleted is None:
        raise Conflict(_("No tiene una inscripción en esta mesa técnica."))
    promoted: list[MesaRegistration] = []
    if deleted == "registered":
        _release_seat(mesa.id)
        promoted = promote_waitlist(mesa)
    _refresh(mesa)
    return RegistrationResult(registration=None, status="unregistered", promoted=promoted)


def promote_waitlist(mesa: Mesa) -> list[MesaRegistration]:
    """Give free seats to waitlisted people, oldest first; returns who was promoted."""
    promoted = []
    while True:
        candidate = db.session.scalar(
            select(MesaRegistration)
            .where(MesaRegistration.mesa_id == mesa.id, MesaRegistration.status == "waitlisted")
            .order_by(MesaRegistration.created_at, MesaRegistration.id)
            .limit(1)
        )
        if candidate is None or not _take_seat(mesa.id):
            break
        moved = db.session.execute(
            update(MesaRegistration)
            .where(MesaRegistration.id == candidate.id, MesaRegistration.status == "waitlisted")
            .values(status="registered")
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved != 1:  # promoted or cancelled by a concurrent request: give the seat back
            _release_seat(mesa.id)
            continue
        db.session.refresh(candidate)
        promoted.append(candidate)
    _refresh(mesa)
    return promoted


def update_mesa(mesa: Mesa, *, day: date, starts: time, ends: time, place: str,
                capacity: int) -> list[MesaRegistration]:
    """Change date, hours (Guatemala time), place and capacity; returns promoted people."""
    if ends <= starts:
        raise InvalidInput(_("La hora de fin debe ser posterior a la de inicio."), field="ends")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(_("El cupo debe estar entre 1 y %(max)d.", max=MAX_CAPACITY),
                           field="capacity")
    place = (place or "").strip()
    if not place or len(place) > 300:
        raise InvalidInput(_("Indique el lugar (hasta 300 caracteres)."), field="place")
    starts_at = datetime.combine(day, starts, tzinfo=GUATEMALA)
    if starts_at != mesa.starts_at and starts_at < utcnow():
        raise InvalidInput(_("Esa fecha y hora ya pasaron: elija una fecha futura."),
                           field="day")
    if capacity < mesa.seats_taken:
        raise InvalidInput(_("El cupo no puede ser menor que las %(n)d personas ya inscritas.",
                             n=mesa.seats_taken), field="capacity")
    # The check and the change in one statement: a registration racing this edit cannot
    # leave more seats taken than the new capacity.
    changed = db.session.execute(
        update(Mesa)
        .where(Mesa.id == mesa.id, Mesa.seats_taken <= capacity)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    ).rowcount
    _refresh(mesa)
    if changed != 1:
        raise Conflict(_("El cupo no puede ser menor que las %(n)d personas ya inscritas.",
                         n=mesa.seats_taken))
    mesa.starts_at = starts_at
    mesa.ends_at = datetime.combine(day, ends, tzinfo=GUATEMALA)
    mesa.place = place
    db.session.flush()
    return promote_waitlist(mesa)


def mesa_registrations(mesa: Mesa) -> list[MesaRegistration]:
    """Registered people first, then the waiting list, each in order of registration."""
    return list(db.session.scalars(
        select(MesaRegistration)
        .options(joinedload(MesaRegistration.user))
        .where(MesaRegistration.mesa_id == mesa.id)
        .order_by(MesaRegistration.status, MesaRegistration.created_at, MesaRegistration.id)
    ))


def mark_attendance(mesa: Mesa, attended_ids: set[int]) -> int:
    """Record who came (registration ids); allowed once the session has started."""
    if mesa.starts_at > utcnow():
        raise Conflict(_("La asistencia se registra cuando la mesa técnica ya comenzó."))
    registrations = db.session.scalars(
        select(MesaRegistration).where(MesaRegistration.mesa_id == mesa.id,
                                       MesaRegistration.status == "registered")
    ).all()
    known = {registration.id for registration in registrations}
    unknown = attended_ids - known
    if unknown:
        raise InvalidInput(_("La lista de asistencia incluye inscripciones desconocidas."))
    for registration in registrations:
        registration.attended = registration.id in attended_ids
    db.session.flush()
    return len(attended_ids)


@dataclass(frozen=True)
class SectorAttendance:
    sector: str
    registered: int
    attended: int


def attendance_by_sector(mesa_id: int | None = None) -> list[SectorAttendance]:
    """Registered and attending people per sector (every sector listed, in SECTORS order).

    One query; counts registrations with a seat (not the waiting list) across every mesa,
    or only `mesa_id`'s. For the transparency statistics.
    """
    statement = (
        select(User.sector, func.count(MesaRegistration.id),
               func.count(MesaRegistration.id).filter(MesaRegistration.attended.is_(True)))
        .join(User, User.id == MesaRegistration.user_id)
        .where(MesaRegistration.status == "registered")
        .group_by(User.sector)
    )
    if mesa_id is not None:
        statement = statement.where(MesaRegistration.mesa_id == mesa_id)
    counts = {sector: (registered, attended)
              for sector, registered, attended in db.session.execute(statement)}
    return [SectorAttendance(sector, *counts.get(sector, (0, 0))) for sector in SECTORS]
