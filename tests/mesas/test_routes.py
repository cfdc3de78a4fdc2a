"""The schedule, the calendar files, registration over HTTP and the organizers' pages."""
from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from app.mesas import services
from app.models import MesaRegistration
from app.models.base import utcnow
from tests.factories import MesaFactory, ModeratorFactory, UserFactory


def test_schedule_shows_date_hours_theme_link_place_and_seats(client, seeded):
    page = client.get("/mesas").get_data(as_text=True)
    assert "jueves 5 de julio de 2018" in page
    assert "08:00-15:00" in page
    assert 'href="/themes/mecanismos-de-transparencia-y-anticorrupcion"' in page
    assert "Ciudad de Guatemala (sede por confirmar)" in page
    assert "Mesas realizadas" in page and "No hay mesas próximas." in page


def test_schedule_separates_upcoming_from_past(client, db, past_mesa):
    upcoming = MesaFactory(capacity=40, seats_taken=0)
    page = client.get("/mesas").get_data(as_text=True)
    upcoming_part, past_part = page.split("Mesas realizadas", 1)
    assert upcoming.theme.name in upcoming_part and "40 de 40" in upcoming_part
    assert past_mesa.theme.name in past_part


def test_calendar_file_parses_back(client, db):
    start = datetime(2030, 7, 5, 8, 0, tzinfo=services.GUATEMALA)
    mesa = MesaFactory(place="INAP; salón 3, zona 1", starts_at=start,
                       ends_at=start + timedelta(hours=7))
    response = client.get(f"/mesas/{mesa.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert b"\r\n" in response.data
    calendar = icalendar.Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("DTSTART") == datetime(2030, 7, 5, 14, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2030, 7, 5, 21, 0, tzinfo=UTC)
    assert str(event["LOCATION"]) == "INAP; salón 3, zona 1"
    assert mesa.theme.name in str(event["SUMMARY"])
    assert str(event["UID"]).startswith(f"mesa-{mesa.id}@")
    assert all(len(line) <= 75 for line in response.data.split(b"\r\n"))


def test_calendar_of_unknown_mesa_is_404(client, db):
    assert client.get("/mesas/999999.ics").status_code == 404


@pytest.mark.parametrize("action", ["register", "unregister"])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, action):
    mesa = MesaFactory()
    response = client.post(f"/mesas/{mesa.id}/{action}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_registration_confirms_by_email_with_the_calendar_attached(client, auth, db, outbox):
    mesa = MesaFactory()
    user = auth.login_as(UserFactory())
    response = client.post(f"/mesas/{mesa.id}/register")
    assert response.status_code == 303
    page = client.get("/mesas").get_data(as_text=True)
    assert "Su inscripción quedó confirmada" in page and "Su inscripción está confirmada." in page
    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == user.email and "confirmada" in message.subject
    [attachment] = message.attachments
    assert attachment.mimetype == "text/calendar"
    assert icalendar.Calendar.from_ical(attachment.content).walk("VEVENT")


def test_registering_twice_says_so_and_changes_nothing(client, auth, db, outbox):
    mesa = MesaFactory()
    auth.login_as(UserFactory())
    client.post(f"/mesas/{mesa.id}/register")
    response = client.post(f"/mesas/{mesa.id}/register")
    assert response.status_code == 409
    assert "Ya tiene una inscripción" in response.get_data(as_text=True)
    db.session.refresh(mesa)
    assert mesa.seats_taken == 1 and len(outbox) == 1


def test_registering_for_a_past_mesa_says_so(client, auth, db, past_mesa, outbox):
    auth.login_as(UserFactory())
    response = client.post(f"/mesas/{past_mesa.id}/register")
    assert response.status_code == 409
    assert "ya se realizó" in response.get_data(as_text=True)
    assert outbox == []


def test_registering_for_a_full_mesa_joins_the_waiting_list(client, auth, db, outbox):
    mesa = MesaFactory(capacity=1)
    services.register_for_mesa(mesa, UserFactory())
    auth.login_as(UserFactory())
    response = client.post(f"/mesas/{mesa.id}/register", follow_redirects=True)
    assert "lista de espera" in response.get_data(as_text=True)
    assert "Lista de espera" in outbox[0].subject
    db.session.refresh(mesa)
    assert mesa.seats_taken == 1


def test_registering_for_an_unknown_mesa_is_404(client, auth, db):
    auth.login_as(UserFactory())
    assert client.post("/mesas/999999/register").status_code == 404
    assert client.post("/mesas/999999/unregister").status_code == 404
    assert client.post("/mesas/99999999999999999999999/register").status_code == 404
    assert client.get("/mesas/99999999999999999999999.ics").status_code == 404


def test_unregistering_emails_the_promoted_person(client, auth, db, outbox):
    mesa = MesaFactory(capacity=1)
    waiting = UserFactory()
    user = auth.login_as(UserFactory())
    services.register_for_mesa(mesa, user)
    services.register_for_mesa(mesa, waiting)
    response = client.post(f"/mesas/{mesa.id}/unregister")
    assert response.status_code == 303
    assert [m.to for m in outbox] == [waiting.email]
    assert outbox[0].attachments[0].filename.endswith(".ics")


def test_htmx_registration_returns_the_fragment(client, auth, db, outbox):
    mesa = MesaFactory()
    auth.login_as(UserFactory())
    response = client.post(f"/mesas/{mesa.id}/register", headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'id="mesa-registration-{mesa.id}"' in body and "<html" not in body
    assert "Cancelar inscripción" in body


MODERATOR_PAGES = ["/mesas/{id}/edit", "/mesas/{id}/registrations",
                   "/mesas/{id}/registrations.csv"]


@pytest.mark.parametrize("url", MODERATOR_PAGES)
def test_participants_may_not_see_the_organizers_pages(client, auth, db, url):
    mesa = MesaFactory()
    auth.login_as(UserFactory())
    assert client.get(url.format(id=mesa.id)).status_code == 403
    assert client.post(f"/mesas/{mesa.id}/attendance").status_code == 403


@pytest.mark.parametrize("url", MODERATOR_PAGES)
def test_unknown_mesa_is_404_for_moderators(client, auth, db, url):
    auth.login_as(ModeratorFactory())
    assert client.get(url.format(id=999999)).status_code == 404


def test_moderator_edits_a_mesa(client, auth, db):
    mesa = MesaFactory(capacity=10)
    auth.login_as(ModeratorFactory())
    assert f"/mesas/{mesa.id}/registrations" in client.get("/mesas").get_data(as_text=True)
    assert client.get(f"/mesas/{mesa.id}/edit").status_code == 200
    response = client.post(f"/mesas/{mesa.id}/edit", data={
        "day": "2030-03-14", "starts": "09:00", "ends": "13:30", "place": "INAP, zona 1",
        "capacity": "25"})
    assert response.status_code == 303
    db.session.refresh(mesa)
    local = mesa.starts_at.astimezone(services.GUATEMALA)
    assert (local.day, local.hour, mesa.capacity, mesa.place) == (14, 9, 25, "INAP, zona 1")
    assert mesa.ends_at.astimezone(services.GUATEMALA).minute == 30


def test_moderator_cannot_set_capacity_below_seats_taken(client, auth, db):
    mesa = MesaFactory(capacity=3)
    for user in UserFactory.create_batch(2):
        services.register_for_mesa(mesa, user)
    auth.login_as(ModeratorFactory())
    response = client.post(f"/mesas/{mesa.id}/edit", data={
        "day": "2030-03-14", "starts": "09:00", "ends": "13:30", "place": "Sede",
        "capacity": "1"})
    assert response.status_code == 400  # the form again, the message next to the capacity
    assert "no puede ser menor" in response.get_data(as_text=True)
    db.session.refresh(mesa)
    assert mesa.capacity == 3


def test_moderator_edit_with_bad_input_shows_the_form(client, auth, db):
    mesa = MesaFactory()
    auth.login_as(ModeratorFactory())
    response = client.post(f"/mesas/{mesa.id}/edit", data={
        "day": "no es fecha", "starts": "09:00", "ends": "08:00", "place": "", "capacity": "x"})
    assert response.status_code == 400
    assert "Hay un problema" in response.get_data(as_text=True)


def test_moderator_exports_the_registrations(client, auth, db):
    mesa = MesaFactory(capacity=1)
    first = UserFactory(display_name="=Ana López", organization="Acción Ciudadana",
                        sector="sociedad_civil")
    second = UserFactory(display_name="Luis Pérez", organization=None, sector="academia")
    services.register_for_mesa(mesa, first)
    services.register_for_mesa(mesa, second)
    auth.login_as(ModeratorFactory())
    page = client.get(f"/mesas/{mesa.id}/registrations").get_data(as_text=True)
    assert first.email in page and "Lista de espera" in page
    response = client.get(f"/mesas/{mesa.id}/registrations.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["name", "organization", "sector", "email", "registered_at"]
    assert rows[1][:4] == ["'=Ana López", "Acción Ciudadana", "Sociedad civil", first.email]
    assert rows[1][5] == "registered" and rows[2][5] == "waitlisted"
    assert rows[2][:4] == ["Luis Pérez", "", "Academia", second.email]
    assert "+00:00" in rows[1][4]


def test_moderator_marks_attendance_after_the_session(client, auth, db, past_mesa):
    came, missed = UserFactory.create_batch(2)
    registrations = [MesaRegistration(mesa_id=past_mesa.id, user_id=u.id) for u in (came, missed)]
    db.session.add_all(registrations)
    db.session.flush()
    auth.login_as(ModeratorFactory())
    response = client.post(f"/mesas/{past_mesa.id}/attendance",
                           data={"attended": [str(registrations[0].id)]})
    assert response.status_code == 303
    db.session.expire_all()
    assert [r.attended for r in registrations] == [True, False]
    assert client.post(f"/mesas/{past_mesa.id}/attendance",
                       data={"attended": ["abc"]}).status_code == 400


def test_attendance_cannot_be_marked_before_the_session(client, auth, db):
    mesa = MesaFactory(starts_at=utcnow() + timedelta(days=2))
    auth.login_as(ModeratorFactory())
    assert client.post(f"/mesas/{mesa.id}/attendance").status_code == 409


def test_htmx_mesa_registration_refreshes_the_seats_left(client, auth, db, outbox):
    mesa = MesaFactory(capacity=20)
    auth.login_as(UserFactory())
    page = client.get("/mesas").get_data(as_text=True)
    assert re.search(rf'id="mesa-seats-{mesa.id}">20 de 20<', page)
    body = client.post(f"/mesas/{mesa.id}/register",
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert re.search(rf'id="mesa-seats-{mesa.id}" hx-swap-oob="true">19 de 20<', body)
    body = client.post(f"/mesas/{mesa.id}/unregister",
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert re.search(rf'id="mesa-seats-{mesa.id}" hx-swap-oob="true">20 de 20<', body)


def test_without_javascript_mesa_registration_shows_the_seats_left(client, auth, db, outbox):
    mesa = MesaFactory(capacity=20)
    auth.login_as(UserFactory())
    response = client.post(f"/mesas/{mesa.id}/register", follow_redirects=True)
    assert re.search(rf'id="mesa-seats-{mesa.id}">19 de 20<', response.get_data(as_text=True))
