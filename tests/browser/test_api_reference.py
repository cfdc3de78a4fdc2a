"""The API reference (/api/docs): the pinned Swagger UI renders the OpenAPI description under
the site's Content-Security-Policy, from the app's own host, with no WCAG 2.1 A/AA violation;
and the HTML part of the emails passes the same axe-core check."""
from __future__ import annotations

from tests.browser.conftest import DESKTOP, MOBILE, shot_name
from tests.browser.test_accessibility import WCAG_TAGS, _violations_report, axe  # noqa: F401


def _open_reference(browsing, viewport):
    page = browsing.new_page(viewport)
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    response = page.goto("/api/docs")
    assert response.status == 200
    page.locator(".opblock").first.wait_for()
    return page, console


def test_api_reference_renders_every_operation_without_csp_violations(browsing):
    page, console = _open_reference(browsing, DESKTOP)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/proposals" in [text.strip() for text in summaries]
    assert page.locator(".opblock").count() >= 6
    blocked = [line for line in console if "Content Security Policy" in line]
    assert not blocked, blocked


def test_api_reference_has_no_wcag_violations(browsing, axe):  # noqa: F811 - the shared fixture
    for name, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page, _console = _open_reference(browsing, viewport)
        page.screenshot(path=shot_name("api-reference", name), full_page=True)
        results = axe.run(page, options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
        assert results.violations_count == 0, _violations_report(results)


def test_html_email_has_no_wcag_violations(browsing, axe):  # noqa: F811 - the shared fixture
    """The HTML part of a notice (app.mail.html_version), opened in Chromium, checked by axe."""
    from app import mail

    def render():
        from flask import current_app

        body = ("Hola, Ana:\n\nJorge comentó su propuesta «Agua potable»:\n\nMe parece útil.\n\n"
                "Vea la conversación aquí:\nhttps://cocrea.example.gob.gt/proposals/1\n\n--\n"
                "Para dejar de recibir estos avisos, abra este enlace:\n"
                "https://cocrea.example.gob.gt/unsubscribe/abc")
        with current_app.test_request_context():
            return mail.html_version(mail.Message(to="a@b.c", subject="Nuevo comentario",
                                                  body=body))

    page = browsing.new_page(DESKTOP)
    page.set_content(browsing.server.query(render))
    results = axe.run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, _violations_report(results)
