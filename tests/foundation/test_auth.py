"""Accounts: sign-up, sign-in, sign-out, password reset."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from app.auth import services
from app.models import User
from tests.conftest import PASSWORD
from tests.factories import UserFactory

SIGNUP = {
    "email": "Nueva.Persona@Ejemplo.org", "display_name": "Nueva Persona", "password": PASSWORD,
    "password_confirm": PASSWORD, "sector": "sociedad_civil", "organization": "Red Ciudadana",
    "accept_terms": "y",
}


def count_users(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_registration_creates_a_participant_and_signs_in(client, db):
    response = client.post("/auth/register", data=SIGNUP)
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "nueva.persona@ejemplo.org"))
    assert user.role == "participant"
    assert user.sector == "sociedad_civil"
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert client.get("/account").status_code == 200


def test_duplicate_email_is_refused_whatever_its_case(client, db):
    UserFactory(email="nueva.persona@ejemplo.org")
    before = count_users(db)
    response = client.post("/auth/register", data={**SIGNUP, "email": "NUEVA.persona@EJEMPLO.ORG"})
    assert response.status_code == 400
    assert b"Ya existe una cuenta con este correo" in response.data
    assert count_users(db) == before


@pytest.mark.parametrize("field, value, message", [
    ("password", "corta", "al menos 10 caracteres"),
    ("password_confirm", "otra-cosa-distinta", "no coinciden"),
    ("sector", "piratas", "Not a valid choice"),
    ("email", "no-es-un-correo", "correo electrónico válido"),
    ("accept_terms", "", "Debe aceptar"),
])
def test_invalid_signup_comes_back_with_a_message_and_keeps_the_input(client, db, field, value,
                                                                     message):
    before = count_users(db)
    response = client.post("/auth/register", data={**SIGNUP, field: value})
    assert response.status_code == 400
    assert message.encode() in response.data or field == "sector"
    assert b"Nueva Persona" in response.data  # what was typed is still there
    assert count_users(db) == before


def test_honeypot_signup_stores_nothing(client, db):
    before = count_users(db)
    response = client.post("/auth/register", data={**SIGNUP, "website": "http://spam.example"})
    assert response.status_code == 303
    assert count_users(db) == before


def test_login_with_wrong_password_fails_with_the_same_message_as_unknown_email(client, db):
    UserFactory(email="ana@ejemplo.org")
    wrong = client.post("/auth/login", data={"email": "ana@ejemplo.org", "password": "x" * 12})
    unknown = client.post("/auth/login", data={"email": "nadie@ejemplo.org", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 400
    assert "El correo o la contraseña no son correctos".encode() in wrong.data
    assert "El correo o la contraseña no son correctos".encode() in unknown.data


def test_login_is_case_insensitive_and_follows_a_same_site_next(client, auth, db):
    UserFactory(email="ana@ejemplo.org")
    response = client.post("/auth/login?next=/mesas",
                           data={"email": "ANA@ejemplo.org", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/mesas"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example",
])
def test_login_never_redirects_to_another_site(client, db, target):
    UserFactory(email="ana@ejemplo.org")
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": "ana@ejemplo.org", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_logout_invalidates_the_remember_me_cookie(app, client, db):
    user = UserFactory(email="ana@ejemplo.org")
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token")
    assert remember is not None
    client.post("/auth/logout")
    other = app.test_client()
    other.set_cookie("remember_token", remember.value)
    assert other.get("/account").status_code == 302  # not signed in any more


def test_login_upgrades_an_outdated_password_hash(app, client, db):
    from werkzeug.security import generate_password_hash

    user = UserFactory(email="ana@ejemplo.org",
                       password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256"))
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    db.session.refresh(user)
    assert user.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")


# OWASP Password Storage Cheat Sheet: scrypt settings of equal strength (n, r, p).
OWASP_SCRYPT_SETTINGS = {(2**17, 8, 1), (2**16, 8, 2), (2**15, 8, 3), (2**14, 8, 5),
                         (2**13, 8, 10)}


def test_production_hash_is_an_owasp_scrypt_setting_of_at_most_16_mib():
    from config import ProductionConfig

    name, n, r, p = ProductionConfig.PASSWORD_HASH_METHOD.split(":")
    assert name == "scrypt"
    assert (int(n), int(r), int(p)) in OWASP_SCRYPT_SETTINGS
    assert 128 * int(n) * int(r) <= 16 * 2**20  # bytes of memory per hash


def test_login_rehashes_a_hash_made_with_the_previous_production_setting(app, client, db):
    from werkzeug.security import generate_password_hash

    app.config["PASSWORD_HASH_METHOD"] = "scrypt:16384:8:5"
    user = UserFactory(email="ana@ejemplo.org", password_hash=generate_password_hash(
        PASSWORD, method="scrypt:131072:8:1"))
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.password_hash.startswith("scrypt:16384:8:5$")
    client.post("/auth/logout")
    again = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert again.status_code == 303  # the new hash signs in


def test_reset_request_answers_the_same_for_known_and_unknown_emails(client, db, caplog):
    UserFactory(email="ana@ejemplo.org")
    known = client.post("/auth/reset", data={"email": "ana@ejemplo.org"})
    unknown = client.post("/auth/reset", data={"email": "nadie@ejemplo.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]


def auth_ok(client, email: str, password: str) -> bool:
    response = client.post("/auth/login", data={"email": email, "password": password})
    return response.status_code == 303


def test_reset_token_changes_the_password_once(client, db):
    user = UserFactory(email="ana@ejemplo.org")
    token = services.make_reset_token(user)
    new = "una-clave-nueva-segura"
    response = client.post(f"/auth/reset/{token}", data={"password": new,
                                                          "password_confirm": new})
    assert response.status_code == 303
    assert auth_ok(client, user.email, new)
    client.post("/auth/logout")
    # Reusing the same link fails: the password it was made for is gone.
    again = client.post(f"/auth/reset/{token}", data={"password": "otra-clave-distinta",
                                                      "password_confirm": "otra-clave-distinta"})
    assert again.status_code == 303
    assert again.headers["Location"].endswith("/auth/reset")
    assert auth_ok(client, user.email, new)


def test_tampered_reset_token_is_refused(client, db):
    user = UserFactory()
    token = services.make_reset_token(user)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert services.user_for_reset_token(tampered) is None
    assert client.get(f"/auth/reset/{tampered}").status_code == 303


def test_expired_reset_token_is_refused(app, db, monkeypatch):
    user = UserFactory()
    token = services.make_reset_token(user)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", 1)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3600)
    assert services.user_for_reset_token(token) is None


def test_account_page_saves_profile(client, auth, db):
    user = auth.login_as(UserFactory())
    response = client.post("/account", data={
        "display_name": "Nombre Nuevo", "sector": "academia", "organization": "USAC",
        "locale": "es", "notify_comments": "y",
    })
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.display_name, user.sector, user.organization) == ("Nombre Nuevo", "academia",
                                                                  "USAC")
    assert user.notify_comments and not user.notify_replies
