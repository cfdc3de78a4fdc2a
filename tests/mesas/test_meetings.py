"""Convening, rescheduling and cancelling meetings; the calendar feed; rounds and kinds."""
from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from app.mesas import services
from app.models import Mesa, ModerationAction
from app.models.base import utcnow
from tests.factories import MesaFactory, ModeratorFactory, ThemeFactory, UserFactory


def _local(value) -> str:
    return value.astimezone(services.GUATEMALA).strftime("%Y-%m-%dT%H:%M")


def _meeting(**overrides) -> dict:
    start = utcnow() + timedelta(days=20)
    data = {"kind": "cocreation", "theme": "", "title": "Segunda ronda",
            "starts_at": _local(start), "ends_at": _local(start + timedelta(hours=4)),
            "place": "INAP, zona 1", "online_url": "", "capacity": "40"}
    data.update(overrides)
    return data


@pytest.fixture
def moderator(db, auth):
    return auth.login_as(ModeratorFactory())


def test_a_theme_takes_a_second_round_of_mesas(client, db, moderator):
    first = MesaFactory()
    response = client.post("/mesas/new", data=_meeting(theme=first.theme.slug))
    assert response.status_code == 303
    rounds = db.session.scalars(select(Mesa).where(Mesa.theme_id == first.theme_id)
                                .order_by(Mesa.starts_at)).all()
    assert len(rounds) == 2 and rounds[1].title == "Segunda ronda"
    assert rounds[1].kind == "cocreation" and rounds[1].plan_id == first.plan_id
    logged = db.session.scalar(select(ModerationAction).where(
        ModerationAction.action == "mesa_created"))
    assert logged.moderator_id == moderator.id and logged.target_id == rounds[1].id


def test_forum_meeting_has_no_theme_and_needs_a_title(client, db, moderator):
    ThemeFactory()
    untitled = client.post("/mesas/new", data=_meeting(kind="forum", title=""))
    assert untitled.status_code == 400 and "Escriba el título" in untitled.get_data(as_text=True)
    response = client.post("/mesas/new", data=_meeting(
        kind="forum", title="Foro multiactor, sesión ordinaria",
        online_url="https://reunion.example.org/foro"))
    assert response.status_code == 303
    mesa = db.session.scalar(select(Mesa).where(Mesa.kind == "forum"))
    assert mesa.theme_id is None and mesa.online_url == "https://reunion.example.org/foro"
    assert "Foro multiactor, sesión ordinaria" in client.get("/mesas").get_data(as_text=True)


@pytest.mark.parametrize(("overrides", "field_message"), [
    ({"theme": "no-existe"}, "Temática desconocida"),
    ({"theme": ""}, "elija una"),
    ({"kind": "fiesta"}, "Elija el tipo de reunión"),
    ({"online_url": "javascript:alert(1)"}, "dirección web completa"),
    ({"capacity": "20000"}, "El cupo debe estar entre"),
    ({"starts_at": "31/07/2026 08:00"}, "Indique la fecha y la hora"),
])
def test_bad_meeting_input_comes_back_on_the_form(client, db, moderator, overrides,
                                                  field_message):
    theme = ThemeFactory()
    response = client.post("/mesas/new", data=_meeting(**{"theme": theme.slug, **overrides}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_message in html and 'value="Segunda ronda"' in html


def test_meeting_that_ends_before_it_starts_is_refused(client, db, moderator):
    theme = ThemeFactory()
    start = utcnow() + timedelta(days=5)
    response = client.post("/mesas/new", data=_meeting(
        theme=theme.slug, starts_at=_local(start), ends_at=_local(start - timedelta(hours=1))))
    assert response.status_code == 400
    assert "terminar después de empezar" in response.get_data(as_text=True)


def test_rescheduling_emails_registrants_an_ics_with_a_higher_sequence(client, db, auth,
                                                                       outbox):
    mesa = MesaFactory()
    registrant = UserFactory()
    services.register_for_mesa(mesa, registrant)
    auth.login_as(ModeratorFactory())
    new_day = (mesa.starts_at + timedelta(days=2)).astimezone(services.GUATEMALA)
    response = client.post(f"/mesas/{mesa.id}/edit", data={
        "day": new_day.date().isoformat(), "starts": "09:00", "ends": "13:00",
        "place": "Otra sede", "capacity": "50"})
    assert response.status_code == 303
    notices = [m for m in outbox if m.to == registrant.email]
    assert len(notices) == 1 and "Otra sede" in notices[0].body
    event = icalendar.Calendar.from_ical(notices[0].attachments[0].content).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and str(event["LOCATION"]) == "Otra sede"
    assert str(event["UID"]).startswith(f"mesa-{mesa.id}@")


def test_changing_only_the_capacity_sends_no_notice(client, db, auth, outbox):
    start = (utcnow() + timedelta(days=10)).replace(second=0, microsecond=0)
    mesa = MesaFactory(starts_at=start)
    services.register_for_mesa(mesa, UserFactory())
    auth.login_as(ModeratorFactory())
    local = mesa.starts_at.astimezone(services.GUATEMALA)
    client.post(f"/mesas/{mesa.id}/edit", data={
        "day": local.date().isoformat(), "starts": local.strftime("%H:%M"),
        "ends": mesa.ends_at.astimezone(services.GUATEMALA).strftime("%H:%M"),
        "place": mesa.place, "capacity": "60"})
    assert outbox == [] and mesa.sequence == 0


def test_cancelling_emails_everyone_registered_with_method_cancel(client, db, auth, outbox):
    mesa = MesaFactory(capacity=1)
    seated, waiting = UserFactory(), UserFactory()
    services.register_for_mesa(mesa, seated)
    services.register_for_mesa(mesa, waiting)
    auth.login_as(ModeratorFactory())
    response = client.post(f"/mesas/{mesa.id}/cancel", data={"reason": "Feriado nacional."})
    assert response.status_code == 303
    assert {message.to for message in outbox} == {seated.email, waiting.email}
    calendar = icalendar.Calendar.from_ical(outbox[0].attachments[0].content)
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    db.session.refresh(mesa)
    assert mesa.is_cancelled and mesa.cancel_reason == "Feriado nacional."
    page = client.get("/mesas").get_data(as_text=True)
    assert "Cancelada" in page and "Feriado nacional." in page


def test_cancel_needs_a_reason_and_happens_once(client, db, auth):
    mesa = MesaFactory()
    auth.login_as(ModeratorFactory())
    assert client.post(f"/mesas/{mesa.id}/cancel", data={"reason": ""}).status_code == 400
    assert client.post(f"/mesas/{mesa.id}/cancel", data={"reason": "Sin sede."}).status_code == 303
    assert client.post(f"/mesas/{mesa.id}/cancel", data={"reason": "Otra vez."}).status_code == 409


def test_nobody_registers_for_a_cancelled_meeting(client, db, auth):
    mesa = MesaFactory(cancelled_at=utcnow(), cancel_reason="Suspendida.")
    auth.login_as(UserFactory())
    assert client.post(f"/mesas/{mesa.id}/register").status_code == 409


def test_participants_cannot_cancel(client, db, auth):
    mesa = MesaFactory()
    auth.login_as(UserFactory())
    assert client.post(f"/mesas/{mesa.id}/cancel", data={"reason": "Porque sí."}).status_code == 403


def test_calendar_feed_holds_every_meeting_of_the_current_plan(client, db):
    theme = ThemeFactory()
    first, second = MesaFactory(theme=theme), MesaFactory(theme=theme, title="Segunda ronda")
    forum = MesaFactory(theme=None, kind="forum", title="Foro", plan=theme.plan)
    cancelled = MesaFactory(theme=theme, cancelled_at=utcnow(), cancel_reason="Lluvia.",
                            sequence=1)
    response = client.get("/mesas.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    uids = {str(event["UID"]).split("@")[0] for event in events}
    assert uids == {f"mesa-{m.id}" for m in (first, second, forum, cancelled)}
    statuses = {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in events}
    assert statuses[f"mesa-{cancelled.id}"] == "CANCELLED"


def test_theme_page_shows_next_mesa_and_both_windows(client, db):
    theme = ThemeFactory()
    MesaFactory(theme=theme, title="Segunda ronda", place="Sede del INAP")
    html = client.get(f"/themes/{theme.slug}").get_data(as_text=True)
    assert "Próxima mesa" in html and "Segunda ronda" in html and "Sede del INAP" in html
    assert "Recepción de propuestas" in html and "Votación" in html
    assert html.count("cierra el") == 2
