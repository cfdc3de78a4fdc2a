"""Registration rules: seats, the waiting list, edits, attendance and statistics."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from app.errors import Conflict, Forbidden, InvalidInput
from app.mesas import services
from app.models import MesaRegistration
from app.models.base import utcnow
from tests.factories import MesaFactory, UserFactory


@pytest.fixture(autouse=True)
def _request(app, db):
    """Messages are translated, which needs a request (for the locale)."""
    with app.test_request_context():
        yield


def _statuses(db, mesa):
    db.session.expire_all()
    return {r.user_id: r.status for r in services.mesa_registrations(mesa)}


def test_participant_takes_a_seat(db):
    mesa, user = MesaFactory(capacity=3), UserFactory()
    result = services.register_for_mesa(mesa, user)
    assert result.status == "registered"
    assert result.registration.status == "registered"
    assert mesa.seats_taken == 1 and mesa.seats_left == 2


def test_participant_cannot_register_twice(db):
    mesa, user = MesaFactory(capacity=3), UserFactory()
    services.register_for_mesa(mesa, user)
    with pytest.raises(Conflict, match="Ya tiene una inscripción"):
        services.register_for_mesa(mesa, user)
    assert mesa.seats_taken == 1
    assert len(services.mesa_registrations(mesa)) == 1


def test_registration_for_a_past_mesa_is_refused(db, past_mesa):
    with pytest.raises(Conflict, match="ya se realizó"):
        services.register_for_mesa(past_mesa, UserFactory())
    assert past_mesa.seats_taken == 0
    assert services.mesa_registrations(past_mesa) == []


def test_blocked_participant_cannot_register(db):
    mesa = MesaFactory()
    with pytest.raises(Forbidden):
        services.register_for_mesa(mesa, UserFactory(blocked_reason="spam"))
    assert mesa.seats_taken == 0


def test_full_mesa_puts_people_on_the_waiting_list(db, small_mesa):
    users = UserFactory.create_batch(4)
    results = [services.register_for_mesa(small_mesa, user) for user in users]
    assert [r.status for r in results] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert small_mesa.seats_taken == 2 and small_mesa.seats_left == 0


def test_unregistering_promotes_the_oldest_waitlisted_person(db, small_mesa):
    first, second, third, fourth = UserFactory.create_batch(4)
    for user in (first, second, third, fourth):
        services.register_for_mesa(small_mesa, user)
    result = services.unregister_from_mesa(small_mesa, first)
    assert [r.user_id for r in result.promoted] == [third.id]
    assert _statuses(db, small_mesa) == {second.id: "registered", third.id: "registered",
                                         fourth.id: "waitlisted"}
    assert small_mesa.seats_taken == 2
    result = services.unregister_from_mesa(small_mesa, second)
    assert [r.user_id for r in result.promoted] == [fourth.id]


def test_leaving_the_waiting_list_frees_no_seat(db, small_mesa):
    users = UserFactory.create_batch(3)
    for user in users:
        services.register_for_mesa(small_mesa, user)
    result = services.unregister_from_mesa(small_mesa, users[2])
    assert result.promoted == []
    assert small_mesa.seats_taken == 2


def test_unregistering_without_registration_is_refused(db):
    with pytest.raises(Conflict, match="No tiene una inscripción"):
        services.unregister_from_mesa(MesaFactory(), UserFactory())


def test_capacity_cannot_drop_below_seats_taken(db, small_mesa):
    for user in UserFactory.create_batch(2):
        services.register_for_mesa(small_mesa, user)
    with pytest.raises(InvalidInput, match="no puede ser menor"):
        services.update_mesa(small_mesa, day=date(2030, 1, 10), starts=time(8), ends=time(15),
                             place="Otro lugar", capacity=1)
    assert small_mesa.capacity == 2 and small_mesa.place == "Ciudad de Guatemala"


def test_raising_capacity_promotes_the_waiting_list_in_order(db, small_mesa):
    users = UserFactory.create_batch(5)
    for user in users:
        services.register_for_mesa(small_mesa, user)
    promoted = services.update_mesa(small_mesa, day=date(2030, 1, 10), starts=time(9),
                                    ends=time(14), place="INAP, zona 1", capacity=4)
    assert [r.user_id for r in promoted] == [users[2].id, users[3].id]
    local = small_mesa.starts_at.astimezone(services.GUATEMALA)
    assert (local.date(), local.hour) == (date(2030, 1, 10), 9)
    assert small_mesa.place == "INAP, zona 1" and small_mesa.seats_taken == 4


@pytest.mark.parametrize("changes", [
    {"starts": time(15), "ends": time(8)},
    {"capacity": 0},
    {"place": "   "},
])
def test_invalid_mesa_edits_are_refused(db, changes):
    mesa = MesaFactory()
    values = {"day": date(2030, 1, 10), "starts": time(8), "ends": time(15), "place": "Sede",
              "capacity": 10, **changes}
    with pytest.raises(InvalidInput):
        services.update_mesa(mesa, **values)


def test_attendance_is_recorded_after_the_session(db, past_mesa):
    came, missed = UserFactory.create_batch(2)
    for user in (came, missed):
        db.session.add(MesaRegistration(mesa_id=past_mesa.id, user_id=user.id))
    db.session.flush()
    ids = {r.user_id: r.id for r in services.mesa_registrations(past_mesa)}
    assert services.mark_attendance(past_mesa, {ids[came.id]}) == 1
    assert {r.user_id: r.attended for r in services.mesa_registrations(past_mesa)} == {
        came.id: True, missed.id: False}


def test_attendance_before_the_session_is_refused(db):
    with pytest.raises(Conflict):
        services.mark_attendance(MesaFactory(), set())


def test_attendance_with_unknown_registrations_is_refused(db, past_mesa):
    with pytest.raises(InvalidInput):
        services.mark_attendance(past_mesa, {999_999})


def test_attendance_by_sector_counts_seats_and_attendance(db, past_mesa):
    other = MesaFactory(starts_at=utcnow() - timedelta(days=9),
                        ends_at=utcnow() - timedelta(days=8))
    academic = UserFactory(sector="academia")
    civil = UserFactory(sector="sociedad_civil")
    waiting = UserFactory(sector="sector_privado")
    db.session.add_all([
        MesaRegistration(mesa_id=past_mesa.id, user_id=academic.id, attended=True),
        MesaRegistration(mesa_id=past_mesa.id, user_id=civil.id),
        MesaRegistration(mesa_id=other.id, user_id=civil.id, attended=True),
        MesaRegistration(mesa_id=past_mesa.id, user_id=waiting.id, status="waitlisted"),
    ])
    db.session.flush()
    rows = {row.sector: (row.registered, row.attended) for row in services.attendance_by_sector()}
    assert rows["academia"] == (1, 1)
    assert rows["sociedad_civil"] == (2, 1)
    assert rows["sector_privado"] == (0, 0)
    assert len(rows) == 7
    only = {row.sector: row.registered
            for row in services.attendance_by_sector(mesa_id=other.id)}
    assert only["sociedad_civil"] == 1 and only["academia"] == 0
