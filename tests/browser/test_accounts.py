"""One person, several devices: sessions, revocation and the password, in a real browser."""
from __future__ import annotations

from tests.browser.conftest import (
    DESKTOP,
    MOBILE,
    PASSWORD,
    assert_signed_in,
    flash_text,
    sign_in,
    sign_up,
)


def signed_in(page) -> bool:
    return page.locator("header").get_by_role("button", name="Cerrar sesión").count() == 1


def test_one_account_stays_signed_in_on_two_devices_until_one_is_revoked(browsing):
    laptop = browsing.new_page(DESKTOP)
    phone = browsing.new_page(MOBILE, javascript=False)
    email = sign_up(laptop, name="Persona de Dos Equipos")
    sign_in(phone, email)

    laptop.goto("/account")  # signing in on the phone left the laptop signed in
    assert_signed_in(laptop)
    phone.goto("/account")
    assert_signed_in(phone)

    laptop.goto("/account/sessions")
    items = laptop.locator(".session-item")
    assert items.count() == 2
    assert laptop.locator(".badge-current").count() == 1
    other = items.filter(has_not=laptop.locator(".badge-current"))
    other.get_by_role("button", name="Cerrar la sesión en este dispositivo").click()
    laptop.wait_for_load_state()
    assert "fue cerrada" in flash_text(laptop)
    assert laptop.locator(".session-item").count() == 1

    phone.goto("/account")
    assert "/auth/login" in phone.url and not signed_in(phone)
    laptop.goto("/account")
    assert_signed_in(laptop)


def test_password_change_explains_a_wrong_current_password_then_succeeds(any_page):
    page = any_page
    sign_up(page)
    page.goto("/account")
    page.get_by_role("link", name="Cambiar la contraseña").click()
    page.wait_for_load_state()
    page.get_by_label("Contraseña actual").fill("no-es-la-actual")
    page.get_by_label("Nueva contraseña", exact=True).fill("otra-clave-bien-larga")
    page.get_by_label("Repita la nueva contraseña").fill("otra-clave-bien-larga")
    page.locator("main").get_by_role("button", name="Cambiar la contraseña").click()
    page.wait_for_load_state()
    assert "La contraseña actual no es correcta" in page.locator("main").inner_text()

    page.get_by_label("Contraseña actual").fill(PASSWORD)
    page.get_by_label("Nueva contraseña", exact=True).fill("otra-clave-bien-larga")
    page.get_by_label("Repita la nueva contraseña").fill("otra-clave-bien-larga")
    page.locator("main").get_by_role("button", name="Cambiar la contraseña").click()
    page.wait_for_load_state()
    assert "Su contraseña fue cambiada" in flash_text(page)
    assert_signed_in(page)


def test_terms_and_privacy_open_from_the_sign_up_checkbox(page):
    page.goto("/auth/register")
    page.locator("label[for=accept_terms]").get_by_role("link", name="aviso de privacidad").click()
    page.wait_for_load_state()
    assert page.url.endswith("/privacy")
    assert "Quién ve qué" in page.locator("main").inner_text()
