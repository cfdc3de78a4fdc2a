"""Spanish first, English second; the account's choice wins over the browser's."""
from __future__ import annotations

from tests.factories import UserFactory


def test_default_language_is_spanish(client):
    response = client.get("/")
    assert b'<html lang="es">' in response.data
    assert b"Saltar al contenido principal" in response.data


def test_accept_language_english_gives_english(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert b'<html lang="en">' in response.data
    assert b"Skip to main content" in response.data


def test_unsupported_language_falls_back_to_spanish(client):
    response = client.get("/", headers={"Accept-Language": "fr-FR"})
    assert b'<html lang="es">' in response.data


def test_account_locale_wins_over_the_browser(client, auth, db):
    auth.login_as(UserFactory(locale="en"))
    response = client.get("/", headers={"Accept-Language": "es"})
    assert b'<html lang="en">' in response.data


def test_language_switch_for_visitors(client):
    response = client.post("/language", data={"locale": "en", "next": "/mesas"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/mesas"
    assert b'<html lang="en">' in client.get("/").data
    client.post("/language", data={"locale": "es"})
    assert b'<html lang="es">' in client.get("/").data


def test_language_switch_refuses_unknown_locales(client):
    assert client.post("/language", data={"locale": "xx"}).status_code == 400
