"""Changing the password knowing the current one; a reset ends every session."""
from __future__ import annotations

from app.auth import services
from app.auth.passwords import verify_password
from tests.account.test_sessions import PHONE, login, sessions_of, signed_in
from tests.conftest import PASSWORD
from tests.factories import UserFactory

NEW = "una-clave-nueva-y-larga"


def change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post("/account/password", data={
        "current_password": current, "password": new,
        "password_confirm": new if confirm is None else confirm})


def test_password_page_asks_for_the_current_password(client, auth, db):
    auth.login_as(UserFactory())
    page = client.get("/account/password").get_data(as_text=True)
    for name in ("current_password", "password", "password_confirm"):
        assert f'name="{name}"' in page


def test_password_page_needs_a_signed_in_person(client, db):
    assert client.get("/account/password").status_code == 302
    assert client.post("/account/password", data={}).status_code == 302


def test_changing_the_password_keeps_this_device_and_signs_out_the_others(
        client, other_client, db):
    user = UserFactory()
    login(client, user)
    login(other_client, user, PHONE)
    response = change(client)
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    assert "Se cerró 1 sesión" in client.get("/account").get_data(as_text=True)
    assert signed_in(client) and not signed_in(other_client)
    assert len(sessions_of(db, user)) == 1
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)


def test_a_wrong_current_password_is_a_message_on_the_form(client, other_client, db):
    user = UserFactory()
    login(client, user)
    login(other_client, user, PHONE)
    response = change(client, current="no-es-la-actual")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "La contraseña actual no es correcta." in page
    assert 'id="current_password-error"' in page
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)
    assert signed_in(other_client)


def test_a_short_or_mismatched_new_password_is_refused_on_the_form(client, auth, db):
    user = auth.login_as(UserFactory())
    short = change(client, new="corta")
    mismatched = change(client, confirm="otra-cosa-distinta")
    assert short.status_code == mismatched.status_code == 400
    assert "al menos 10 caracteres" in short.get_data(as_text=True)
    assert "no coinciden" in mismatched.get_data(as_text=True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_wrong_current_passwords_count_against_the_sign_in_limit(limited_client, db):
    user = UserFactory()
    login(limited_client, user)
    statuses = [change(limited_client, current=f"mala-{n}").status_code for n in range(10)]
    assert statuses == [400] * 10
    assert change(limited_client).status_code == 429  # even with the right one, for a while
    limited_client.post("/auth/logout")
    response = limited_client.post("/auth/login", data={"email": user.email,
                                                        "password": PASSWORD})
    assert response.status_code == 429  # the same allowance as signing in


def test_a_password_reset_signs_out_every_session(client, other_client, db):
    user = UserFactory()
    login(client, user)
    login(other_client, user, PHONE)
    token = services.make_reset_token(user)
    response = client.post(f"/auth/reset/{token}", data={"password": NEW,
                                                          "password_confirm": NEW})
    assert response.status_code == 303
    assert not signed_in(client) and not signed_in(other_client)
    assert sessions_of(db, user) == []
