"""The commitment page's trail: loaded in place with JavaScript, a page of its own without;
and the OGP requirements page reachable from /transparency."""
from __future__ import annotations

from playwright.sync_api import expect


def test_commitment_page_shows_where_the_commitment_comes_from(any_page):
    page = any_page
    page.goto("/plan/commitments/1")
    if page.javascript:
        # htmx swaps the trail in below the commitment; the address stays the commitment's.
        expect(page.locator("#trail-sources")).to_be_visible()
        assert page.url.endswith("/plan/commitments/1")
    else:
        page.get_by_role("link", name="Ver sus propuestas de origen").click()
        assert page.url.endswith("/plan/commitments/1/trail")
    trail = page.locator("#trazabilidad")
    expect(trail.get_by_role("heading", name="Propuestas de origen")).to_be_visible()
    expect(trail.get_by_role("heading", name="Mesas técnicas de la temática")).to_be_visible()
    expect(trail.get_by_role("link", name="Agenda de la mesa 1")).to_be_visible()


def test_transparency_links_the_ogp_requirements_with_their_evidence(any_page):
    page = any_page
    page.goto("/transparency")
    page.get_by_role("link", name="Requisitos mínimos de OGP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Requisitos mínimos de OGP")
    row = page.locator("tr#forum_meeting")
    expect(row.get_by_text("Cumplido")).to_be_visible()  # the demo's past forum meeting
    row.get_by_role("link", name="Documentos de la reunión").click()
    expect(page.get_by_role("link", name="Minuta: Foro multiactor")).to_be_visible()
