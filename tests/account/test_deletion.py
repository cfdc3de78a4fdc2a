"""Deleting an account frees its mesa seats as a cancellation would."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.mesas.services import register_for_mesa
from app.models import Mesa, MesaRegistration
from app.models.base import utcnow
from tests.account.test_sessions import PHONE, login, sessions_of, signed_in
from tests.conftest import PASSWORD
from tests.factories import MesaFactory, UserFactory


def registration(db, mesa, user) -> MesaRegistration | None:
    return db.session.scalar(
        select(MesaRegistration).where(MesaRegistration.mesa_id == mesa.id,
                                       MesaRegistration.user_id == user.id)
        .execution_options(populate_existing=True))


def delete(client, password=PASSWORD):
    return client.post("/account/delete", data={"password": password})


def test_deleting_an_account_gives_its_seat_to_the_waiting_list_and_emails_them(
        client, db, outbox):
    mesa = MesaFactory(capacity=1)
    leaving, waiting = UserFactory(), UserFactory()
    register_for_mesa(mesa, leaving)
    register_for_mesa(mesa, waiting)
    assert registration(db, mesa, waiting).status == "waitlisted"
    login(client, leaving)
    response = delete(client)
    assert response.status_code == 303
    assert registration(db, mesa, leaving) is None
    assert registration(db, mesa, waiting).status == "registered"
    db.session.refresh(mesa)
    assert mesa.seats_taken == 1
    assert [message.to for message in outbox] == [waiting.email]
    assert "mesa-" in outbox[0].attachments[0].filename


def test_deleting_an_account_frees_a_seat_even_without_a_waiting_list(client, db, outbox):
    mesa = MesaFactory(capacity=5)
    leaving = UserFactory()
    register_for_mesa(mesa, leaving)
    login(client, leaving)
    assert delete(client).status_code == 303
    db.session.refresh(mesa)
    assert mesa.seats_taken == 0 and outbox == []


def test_past_mesas_keep_the_deleted_persons_attendance(client, db, outbox):
    start = utcnow() - timedelta(days=3)
    past = MesaFactory(starts_at=start, ends_at=start + timedelta(hours=7), capacity=1)
    leaving = UserFactory()
    db.session.add(MesaRegistration(mesa_id=past.id, user_id=leaving.id, status="registered",
                                    attended=True))
    db.session.execute(Mesa.__table__.update().where(Mesa.id == past.id)
                       .values(seats_taken=1))
    login(client, leaving)
    assert delete(client).status_code == 303
    assert registration(db, past, leaving).attended
    assert outbox == []


def test_deleting_an_account_signs_it_out_on_every_device(client, other_client, db, outbox):
    user = UserFactory()
    login(client, user)
    login(other_client, user, PHONE)
    assert delete(client).status_code == 303
    assert not signed_in(client) and not signed_in(other_client)
    assert sessions_of(db, user) == []
    db.session.refresh(user)
    assert user.deleted_at is not None


def test_a_wrong_password_deletes_nothing_and_frees_no_seat(client, db, outbox):
    mesa = MesaFactory(capacity=1)
    user = UserFactory()
    register_for_mesa(mesa, user)
    login(client, user)
    response = delete(client, password="no-es-la-mia")
    assert response.status_code == 400
    assert registration(db, mesa, user).status == "registered"
    assert signed_in(client)
