"""Journeys through the interface, each with JavaScript on and off (`any_page`).

Journeys whose feature has not landed yet skip with "... not on main yet" while its route
answers 404, and start running as soon as it exists.
"""
from __future__ import annotations

import re

from tests.browser.conftest import (
    a_theme_slug,
    assert_signed_in,
    flash_text,
    make_proposal,
    sign_in,
    sign_in_as_moderator,
    sign_out,
    sign_up,
    unique_email,
)


def javascript_on(page) -> bool:
    return page.javascript


def stay_on_page(page):
    """Marks the document; `survived()` tells whether no navigation replaced it since."""
    if not javascript_on(page):
        return None
    navigations = []
    page.on("framenavigated",
            lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    page.evaluate("window.__marker = 'sin-recarga'")

    def survived() -> bool:
        return not navigations and page.evaluate("window.__marker") == "sin-recarga"

    return survived


def support_count(text: str) -> int:
    match = re.search(r"(\d+)\s*apoyos?\b", text)
    assert match, f"no support count in {text!r}"
    return int(match.group(1))


# --- journeys that exist on the foundation --------------------------------------------------

def test_visitor_signs_up_signs_out_and_signs_in_again(any_page):
    page = any_page
    email = sign_up(page, name="Marta Quiñónez")
    assert "Su cuenta fue creada" in flash_text(page)
    assert "Marta Quiñónez" in page.locator("header").inner_text()
    sign_out(page)
    assert "Sesión cerrada" in flash_text(page)
    sign_in(page, email)
    assert "Sesión iniciada" in flash_text(page)


def test_sign_in_returns_to_the_page_that_asked_for_it(any_page):
    page = any_page
    email = sign_up(page)
    sign_out(page)
    page.goto("/mesas")
    page.locator("header").get_by_role("link", name="Iniciar sesión").click()
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill("clave-de-prueba-larga")
    page.locator("main").get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()
    assert page.url.endswith("/mesas")
    assert_signed_in(page)


def test_wrong_password_is_explained_on_the_form(any_page):
    page = any_page
    page.goto("/auth/login")
    page.get_by_label("Correo electrónico").fill(unique_email())
    page.get_by_label("Contraseña", exact=True).fill("no-es-la-clave")
    page.locator("main").get_by_role("button", name="Iniciar sesión").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "no son correctos" in summary.inner_text()


def test_visitor_switches_to_english_and_back(any_page):
    page = any_page
    page.goto("/mesas")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/mesas"), "the switch keeps the visitor on the same page"
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.url.endswith("/mesas")


def test_visitor_browses_themes_and_mesas(any_page):
    page = any_page
    page.goto("/")
    nav = page.get_by_role("navigation", name="Navegación principal")
    nav.get_by_role("link", name="Temáticas").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Las 12 temáticas del plan"
    themes = page.locator(".theme-card")
    assert themes.count() == 12
    first = themes.first.get_by_role("link")
    name = first.inner_text().split(". ", 1)[1]
    first.click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    nav.get_by_role("link", name="Mesas").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mesas técnicas de co-creación"
    # The 12 co-creation mesas to come, and the demo's past forum meeting with its record.
    assert page.locator("table tbody tr").count() == 13
    assert re.search(r"\b(lunes|martes|miércoles|jueves|viernes) \d{1,2} de \w+ de \d{4}",
                     page.locator("table").first.inner_text())


def test_theme_search_with_no_match_says_so(any_page, live_server):
    page = any_page
    page.goto(f"/themes/{a_theme_slug(live_server)}")
    page.get_by_label("Buscar").fill("zzzz-nada-coincide")
    page.get_by_role("button", name="Aplicar").click()
    page.wait_for_load_state()
    assert "Ninguna propuesta coincide con su búsqueda" in page.locator("main").inner_text()


# --- journeys that start running as their features land -------------------------------------

def test_participant_writes_a_proposal_and_sees_it_in_its_theme(any_page, live_server):
    live_server.require("/proposals/new", "writing proposals")
    page = any_page
    sign_up(page)
    slug = a_theme_slug(live_server)
    page.goto(f"/themes/{slug}")
    page.locator("main a[href*='/proposals/new']").first.click()
    page.wait_for_load_state()
    title = f"Datos abiertos de obra pública {unique_email()[8:14]}"
    form = page.locator("main form[method=post]").last
    theme_field = form.locator("[name=theme]")
    if theme_field.count() and theme_field.first.evaluate("e => e.tagName") == "SELECT":
        theme_field.select_option(slug)
    form.locator("[name=title]").fill(title)
    form.locator("[name=problem]").fill("La información de obra pública está dispersa.")
    form.locator("[name=cause]").fill("Cada institución publica con su propio formato.")
    form.locator("[name=description]").fill("Un portal único con datos abiertos de obra pública.")
    form.locator("[name=contribution]").fill("Permite a la ciudadanía vigilar cada obra.")
    form.locator("input[name=ogp_values][value=transparency]").check()
    form.locator("[name=lead_institution]").fill("Ministerio de Comunicaciones")
    form.locator("button[type=submit]:not([name=preview])").last.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert flash_text(page), "a confirmation message after publishing"
    page.goto(f"/themes/{slug}?sort=recent")
    assert page.get_by_role("link", name=title).count() == 1


def test_participant_supports_a_proposal_without_leaving_the_page(any_page, live_server):
    proposal_id, _title = make_proposal(live_server)
    live_server.require(f"/proposals/{proposal_id}/vote", "supports")
    page = any_page
    sign_up(page)
    page.goto(f"/proposals/{proposal_id}")
    button = page.locator(f"form[action$='/proposals/{proposal_id}/vote'] button").first
    assert button.get_attribute("aria-pressed") == "false"
    before = support_count(page.locator("main").inner_text())
    survived = stay_on_page(page)
    button.click()
    button = page.locator(f"form[action$='/proposals/{proposal_id}/vote'] button").first
    page.wait_for_function(
        "id => document.querySelector(`form[action$='/proposals/${id}/vote'] button`)"
        "?.getAttribute('aria-pressed') === 'true'", arg=proposal_id)
    assert support_count(page.locator("main").inner_text()) == before + 1
    if survived is not None:
        assert survived(), "supporting must not reload the page"
        assert page.evaluate("document.activeElement !== document.body"), "focus was lost"
    # and it toggles back
    button.click()
    page.wait_for_function(
        "id => document.querySelector(`form[action$='/proposals/${id}/vote'] button`)"
        "?.getAttribute('aria-pressed') === 'false'", arg=proposal_id)
    assert support_count(page.locator("main").inner_text()) == before


def _open_disclosure(scope) -> None:
    """Open a closed <details> holding a form (reply, flag), if the design uses one."""
    summary = scope.locator("details:not([open]) > summary")
    for _ in range(20):
        if not summary.count():
            break
        summary.first.click()


def test_participant_comments_and_replies_inline(any_page, live_server):
    proposal_id, _title = make_proposal(live_server)
    live_server.require(f"/proposals/{proposal_id}/comments", "comments")
    page = any_page
    sign_up(page)
    page.goto(f"/proposals/{proposal_id}")
    text = f"Sugiero publicar también los contratos {unique_email()[8:14]}."
    form = page.locator(f"form[action$='/proposals/{proposal_id}/comments']"
                        ":not(:has([name=parent_id]))").first
    survived = stay_on_page(page)
    form.locator("[name=body]").fill(text)
    form.locator("button[type=submit]").click()
    comment = page.locator("main :is(article, li)", has_text=text).last
    comment.wait_for()
    if survived is not None:
        assert survived(), "commenting must not reload the page"
        assert page.evaluate("document.activeElement !== document.body"), "focus was lost"
    reply_text = f"De acuerdo, y los pagos {unique_email()[8:14]}."
    comment = page.locator("main li", has_text=text).first
    _open_disclosure(comment)
    reply = comment.locator("form:has([name=parent_id])").first
    reply.locator("[name=body]").fill(reply_text)
    reply.locator("button[type=submit]").click()
    page.locator("main", has_text=reply_text).wait_for()
    assert page.locator("main").inner_text().count(reply_text) == 1
    if survived is not None:
        assert survived(), "replying must not reload the page"


def test_participant_flags_a_proposal(any_page, live_server):
    proposal_id, _title = make_proposal(live_server)
    live_server.require(f"/proposals/{proposal_id}/flag", "flags")
    page = any_page
    sign_up(page)
    page.goto(f"/proposals/{proposal_id}")
    _open_disclosure(page.locator("main"))
    form = page.locator(f"form[action$='/proposals/{proposal_id}/flag']").first
    reason = form.locator("[name=reason]")
    if reason.first.evaluate("e => e.tagName") == "SELECT":
        reason.select_option("spam")
    else:
        form.locator("input[name=reason][value=spam]").check()
    details = form.locator("[name=details]")
    if details.count():
        details.fill("Publicidad de una empresa.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.locator(".flash, [role=status]:not(:empty)").first.wait_for()
    assert page.locator(".flash, [role=status]").first.inner_text().strip()


def _decide(page, proposal_id: int, status: str, response: str) -> None:
    form = page.locator(f"form[action$='/moderation/proposals/{proposal_id}/decision']").first
    field = form.locator("[name=status]")
    if field.first.evaluate("e => e.tagName") == "SELECT":
        field.select_option(status)
    else:
        form.locator(f"input[name=status][value={status}]").check()
    form.locator("[name=response]").fill(response)
    form.locator("button[type=submit]").last.click()
    page.wait_for_load_state()


def test_moderator_accepts_with_a_reasoned_response_and_it_appears_in_the_plan(
        any_page, live_server):
    proposal_id, title = make_proposal(live_server)
    live_server.require(f"/moderation/proposals/{proposal_id}/decision", "moderation decisions")
    page = any_page
    sign_in_as_moderator(page)
    page.goto(f"/proposals/{proposal_id}")
    _open_disclosure(page.locator("main"))
    if not page.locator(f"form[action$='/moderation/proposals/{proposal_id}/decision']").count():
        page.goto("/moderation")
        _open_disclosure(page.locator("main"))
    response = "La mesa técnica la incluye: responde a un problema priorizado por la mesa."
    _decide(page, proposal_id, "accepted", response)
    assert flash_text(page) or page.locator("[role=status]").count()
    page.goto(f"/proposals/{proposal_id}")
    assert response in page.locator("main").inner_text()
    page.goto("/plan")
    assert title in page.locator("main").inner_text()


def test_visitor_downloads_the_plan_as_pdf(any_page, live_server):
    live_server.require("/plan/export.pdf", "PDF export")
    page = any_page
    page.goto("/plan")
    link = page.locator("main a[href$='export.pdf']").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def _first_upcoming_mesa_id(server) -> int:
    def lookup():
        from sqlalchemy import select

        from app.extensions import db
        from app.models import Mesa
        from app.models.base import utcnow

        return db.session.scalar(select(Mesa.id).where(Mesa.starts_at > utcnow())
                                 .order_by(Mesa.starts_at).limit(1))

    return server.query(lookup)


def test_participant_registers_for_a_mesa(any_page, live_server):
    mesa_id = _first_upcoming_mesa_id(live_server)
    live_server.require(f"/mesas/{mesa_id}/register", "mesa registration")
    page = any_page
    sign_up(page)
    page.goto("/mesas")
    form = page.locator(f"form[action$='/mesas/{mesa_id}/register']").first
    survived = stay_on_page(page)
    form.locator("button[type=submit]").click()
    page.locator(f"form[action$='/mesas/{mesa_id}/unregister']").first.wait_for()
    assert flash_text(page) or page.locator("[role=status]").count(), "a confirmation"
    if survived is not None:
        assert survived(), "registering must not reload the page"
        assert page.evaluate("document.activeElement !== document.body"), "focus was lost"
    page.goto("/mesas")
    assert page.locator(f"form[action$='/mesas/{mesa_id}/unregister']").count() == 1


def test_participant_updates_the_account_and_sees_a_confirmation(any_page):
    page = any_page
    sign_up(page, name="Lucía Tay")
    page.locator("header").get_by_role("link", name="Lucía Tay").click()
    page.get_by_label("Nombre para mostrar").fill("Lucía Tay Coc")
    page.locator("main").get_by_role("button", name="Guardar cambios").click()
    page.wait_for_load_state()
    assert "Sus datos fueron guardados" in flash_text(page)
    assert "Lucía Tay Coc" in page.locator("header").inner_text()
