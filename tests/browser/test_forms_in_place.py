"""Bad input through a real browser, with JavaScript on and off: every form comes back with
its message next to the field and what was typed kept (app/forms.py), never the bare error
page; the re-rendered pages stay free of axe-core violations. At 360 px the header is one
compact row with a <details> menu and the moderation queue reads as cards (screenshots in
tests/browser/shots/)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import (
    MOBILE,
    make_proposal,
    shot_name,
    sign_in_as_moderator,
    sign_up,
)

GENERIC_PAGE = "Volver al inicio"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _open_details(scope) -> None:
    for _ in range(10):
        closed = scope.locator("details:not([open]) > summary")
        if not closed.count():
            return
        closed.first.click()


def _submit(form) -> None:
    form.locator("button[type=submit]").first.click()
    form.page.wait_for_load_state()


def assert_answered_in_place(page, axe, *, message: str, field_selector: str, kept: str,
                             error_of: str | None = None):
    """The form is there with `message` tied to the field (or to the field whose id is
    `error_of`), the field still holds `kept`, and the page (or the swapped fragment) has no
    WCAG violation."""
    main = page.locator("main")
    main.locator(".field-error", has_text=message).first.wait_for()
    assert GENERIC_PAGE not in main.inner_text()
    field = page.locator(field_selector).first
    if error_of:
        tied = page.locator(f"#{error_of}")
    else:
        tied = field
    described = tied.get_attribute("aria-describedby") or ""
    error_ids = [part for part in described.split() if part.endswith("-error")]
    assert error_ids, f"{error_of or field_selector} is not tied to its message"
    assert message in page.locator(f"#{error_ids[0]}").inner_text()
    if kept:
        assert field.input_value() == kept
    if not page.javascript:  # axe-core runs in the page: measured on the JavaScript run
        return
    results = axe.run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


def _first(live_server, what: str):
    def lookup():
        from sqlalchemy import select

        from app.extensions import db
        from app.models import Commitment, Mesa
        from app.models.base import utcnow

        if what == "commitment":
            return db.session.scalar(select(Commitment.id).order_by(Commitment.id).limit(1))
        return db.session.scalar(select(Mesa.id).where(Mesa.starts_at > utcnow())
                                 .order_by(Mesa.starts_at).limit(1))

    return live_server.query(lookup)


def test_a_decision_without_a_reasoned_response_comes_back_with_it(any_page, live_server, axe):
    proposal_id, _title = make_proposal(live_server)
    page = any_page
    sign_in_as_moderator(page)
    page.goto(f"/proposals/{proposal_id}")
    _open_details(page.locator(".moderation-tools"))
    form = page.locator(f"form[action$='/moderation/proposals/{proposal_id}/decision']")
    form.locator("[name=status]").select_option("merged")
    form.locator("[name=response]").fill("Muy corta")
    form.locator("[name=merge_into]").fill("99999")
    _submit(form)
    assert_answered_in_place(page, axe, message="al menos 20 caracteres",
                             field_selector="main [name=response]", kept="Muy corta")
    form = page.locator(f"form[action$='/moderation/proposals/{proposal_id}/decision']")
    form.locator("[name=response]").fill("Se fusiona: propone lo mismo que otra propuesta.")
    _submit(form)
    assert_answered_in_place(page, axe, message="No existe la propuesta #99999",
                             field_selector="main [name=merge_into]", kept="99999")


def test_hiding_without_a_reason_comes_back_with_the_form(any_page, live_server, axe):
    proposal_id, _title = make_proposal(live_server)
    page = any_page
    sign_in_as_moderator(page)
    page.goto(f"/proposals/{proposal_id}")
    _open_details(page.locator(".moderation-tools"))
    form = page.locator(f"form[action$='/moderation/proposals/{proposal_id}/hide']")
    form.locator("[name=reason]").fill("   ")
    _submit(form)
    assert_answered_in_place(page, axe, message="Indique el motivo",
                             field_selector=f"#reason-proposals-{proposal_id}", kept="   ")


def test_a_report_without_a_reason_keeps_its_details(any_page, live_server, axe):
    proposal_id, _title = make_proposal(live_server)
    page = any_page
    console = []
    page.on("console", lambda message: console.append(message.text))
    sign_up(page)
    page.goto(f"/proposals/{proposal_id}")
    _open_details(page.locator(".proposal-actions"))
    form = page.locator(f"form[action$='/proposals/{proposal_id}/flag']")
    form.locator("[name=details]").fill("Copia el texto de otra propuesta.")
    _submit(form)
    assert_answered_in_place(page, axe, message="Elija un motivo del reporte",
                             field_selector=f"#details-p{proposal_id}",
                             kept="Copia el texto de otra propuesta.",
                             error_of=f"reason-p{proposal_id}")
    if page.javascript:  # swapped in place by htmx: the page itself did not change
        assert page.url.endswith(f"/proposals/{proposal_id}")
        page.locator(f"#flag-p{proposal_id} input[value=spam]").check()
        _submit(page.locator(f"form[action$='/proposals/{proposal_id}/flag']"))
        page.locator("main [role=status]", has_text="Gracias").wait_for()
    violations = [text for text in console if "Content Security Policy" in text]
    assert not violations, violations  # htmx swaps add no inline style or script


def test_a_milestone_with_reversed_dates_comes_back_with_them(any_page, live_server, axe):
    commitment_id = _first(live_server, "commitment")
    assert commitment_id, "the demo content has commitments"
    page = any_page
    sign_in_as_moderator(page)
    page.goto(f"/plan/commitments/{commitment_id}/edit")
    form = page.locator(f"form[action$='/plan/commitments/{commitment_id}/milestones']")
    form.locator("[name=description]").fill("Publicar el tablero de compras")
    form.locator("[name=start_date]").fill("2019-05-01")
    form.locator("[name=end_date]").fill("2019-01-01")
    _submit(form)
    assert_answered_in_place(page, axe, message="no puede ser anterior a la de inicio",
                             field_selector="#end_date-new", kept="2019-01-01")
    assert page.locator("#description-new").input_value() == "Publicar el tablero de compras"


def test_a_version_label_too_long_comes_back_with_it(any_page, live_server, axe):
    page = any_page
    sign_in_as_moderator(page)
    page.goto("/plan")
    form = page.locator("form[action$='/plan/versions']")
    label = "Borrador para la consulta pública " + "x" * 100
    field = form.locator("[name=label]")
    field.fill(label[:120])
    field.press("End")
    field.type("y" * 14)  # a person pasting past the limit: maxlength stops the browser...
    typed = field.input_value()
    if len(typed) <= 120:
        pytest.skip("the browser enforces maxlength; the server check is tested in tests/")
    _submit(form)
    assert_answered_in_place(page, axe, message="hasta 120 caracteres",
                             field_selector="#label", kept=typed)


def test_a_mesa_moved_into_the_past_comes_back_with_its_input(any_page, live_server, axe):
    from app.models.base import utcnow

    mesa_id = _first(live_server, "mesa")
    page = any_page
    sign_in_as_moderator(page)
    page.goto(f"/mesas/{mesa_id}/edit")
    form = page.locator(f"form[action$='/mesas/{mesa_id}/edit']")
    past = (utcnow() - timedelta(days=30)).date().isoformat()
    form.locator("[name=day]").fill(past)
    form.locator("[name=place]").fill("Salón municipal, zona 1")
    _submit(form)
    assert_answered_in_place(page, axe, message="ya pasaron", field_selector="#day", kept=past)
    assert page.locator("#place").input_value() == "Salón municipal, zona 1"


def test_a_proposal_with_a_blank_title_keeps_everything_else(any_page, live_server, axe):
    page = any_page
    sign_up(page)
    page.goto("/proposals/new")
    form = page.locator("form.proposal-form")
    form.locator("[name=theme]").select_option(index=1)
    form.locator("[name=title]").fill("   ")
    form.locator("[name=problem]").fill("Las compras no se publican a tiempo.")
    form.locator("button[type=submit]", has_text="Publicar").click()
    page.wait_for_load_state()
    main = page.locator("main")
    main.locator(".field-error").first.wait_for()
    assert page.locator("[name=problem]").input_value() == "Las compras no se publican a tiempo."


def test_the_proposal_preview_works_without_saving(any_page):
    page = any_page
    sign_up(page)
    page.goto("/proposals/new")
    form = page.locator("form.proposal-form")
    form.locator("[name=problem]").fill("Las compras **no** se publican.")
    form.get_by_role("button", name="Vista previa").click()
    page.wait_for_load_state()
    preview = page.locator(".preview")
    assert preview.locator("strong", has_text="no").count() == 1
    assert page.locator("[name=problem]").input_value() == "Las compras **no** se publican."


def test_deleting_a_milestone_asks_for_confirmation(page, live_server, axe):
    commitment_id = _first(live_server, "commitment")
    sign_in_as_moderator(page)
    page.goto(f"/plan/commitments/{commitment_id}/edit")
    delete = page.locator("form[action$='/delete']").first
    if not delete.count():
        pytest.skip("no milestone to delete in the demo content")
    delete.locator("button").click()
    page.wait_for_load_state()
    assert "¿Eliminar el hito" in page.locator("h1").inner_text()
    results = axe.run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
    page.get_by_role("link", name="Cancelar").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/plan/commitments/{commitment_id}/edit")


# --- the phone ------------------------------------------------------------------------------

def test_at_360_px_the_header_is_one_compact_row_with_a_menu(browsing, live_server):
    page = browsing.new_page(MOBILE, javascript=False)
    sign_in_as_moderator_mobile(page)
    page.goto("/")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= 90
    page.screenshot(path=shot_name("header", "closed", "mobile"))
    assert not page.locator("header nav").first.is_visible()
    page.locator("header summary", has_text="Menú").click()
    assert page.locator("header").get_by_role("link", name="Moderación").is_visible()
    page.screenshot(path=shot_name("header", "open", "mobile"), full_page=True)


def sign_in_as_moderator_mobile(page) -> None:
    from tests.browser.conftest import MODERATOR

    page.goto("/auth/login")
    page.get_by_label("Correo electrónico").fill(MODERATOR[0])
    page.get_by_label("Contraseña", exact=True).fill(MODERATOR[1])
    page.locator("main").get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()


def test_at_360_px_the_moderation_queue_reads_as_cards(browsing, live_server):
    page = browsing.new_page(MOBILE)
    sign_in_as_moderator_mobile(page)
    page.goto("/moderation")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    rows = page.locator(".card-table tbody tr")
    if rows.count():
        assert rows.first.evaluate("e => getComputedStyle(e).display") == "block"
    page.screenshot(path=shot_name("moderation", "queue", "cards", "mobile"), full_page=True)


def test_the_desktop_header_keeps_its_row(page, live_server):
    sign_in_as_moderator(page)
    page.goto("/")
    assert page.locator("header").get_by_role("link", name="Moderación").is_visible()
    assert not page.locator("header summary").is_visible()
