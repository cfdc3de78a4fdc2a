"""WCAG 2.1 A/AA (axe-core) on every page type, signed out and in, desktop and phone; page
weight; screenshots for review in tests/browser/shots/."""
from __future__ import annotations

import pytest

from tests.browser.conftest import (
    DESKTOP,
    MOBILE,
    a_theme_slug,
    make_proposal,
    shot_name,
    sign_in_as_moderator,
)
from tests.browser.pages import PAGE_TYPES, SIGNED_IN, SIGNED_OUT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_PAGE_BYTES = 100 * 1024
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="session")
def moderator_state(browser, live_server):
    """A signed-in moderator's cookies, made once (the moderator sees every page type)."""
    context = browser.new_context(base_url=live_server.url, locale="es-GT")
    page = context.new_page()
    sign_in_as_moderator(page)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="session")
def sample(live_server):
    proposal_id, _title = make_proposal(live_server, title="Presupuesto abierto municipal")
    return {"slug": a_theme_slug(live_server), "proposal": proposal_id,
            "commitment": _a_commitment_id(live_server),
            "tracked": _a_commitment_id(live_server, newest=True)}


def _a_commitment_id(server, newest: bool = False) -> int:
    """The first commitment (of the current plan's draft), or the newest (the demo's 3rd
    plan, in implementation)."""
    def lookup():
        from sqlalchemy import func, select

        from app.extensions import db
        from app.models import Commitment

        pick = func.max if newest else func.min
        return db.session.scalar(select(pick(Commitment.id))) or 1

    return server.query(lookup)


def _cases():
    for page_type in PAGE_TYPES:
        for auth in ("signed_out", "signed_in"):
            if page_type.who == SIGNED_IN and auth == "signed_out":
                continue
            if page_type.who == SIGNED_OUT and auth == "signed_in":
                continue
            yield pytest.param(page_type, auth, id=f"{page_type.name}-{auth}")


def open_page_type(browsing, page_type, auth, viewport, moderator_state, sample):
    path = page_type.path.format(**sample)
    if page_type.feature:
        browsing.server.require(path.split("?")[0], page_type.feature)
    page = browsing.new_page(
        viewport, storage_state=moderator_state if auth == "signed_in" else None)
    response = page.goto(path)
    if page_type.then is None:
        assert response.status == page_type.status, f"{path} answered {response.status}"
    else:  # the page that answers the action is the one measured
        page.wait_for_load_state("load")
        page.network.clear()
        page_type.then(page)
    return page


def _violations_report(results) -> str:
    lines = []
    for violation in results.response["violations"]:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: "
                         f"{node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(("page_type", "auth"), list(_cases()))
def test_page_type_has_no_wcag_violations_and_stays_light(
        browsing, axe, moderator_state, sample, page_type, auth, viewport):
    """axe-core finds nothing at WCAG 2.1 A/AA; the page weighs under 100 KB (HTML, CSS and
    JS as transferred, measured at desktop width on a cold cache), fits a 360-px screen, and
    asks no other host for anything (checked for every test by the `browsing` fixture)."""
    page = open_page_type(browsing, page_type, auth, VIEWPORTS[viewport], moderator_state, sample)
    page.wait_for_load_state("load")
    if viewport == "desktop":
        size = page.network.transferred()
        assert 0 < size < MAX_PAGE_BYTES, f"{page_type.name}: {size} bytes transferred"
    else:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 360 px"
    page.screenshot(path=shot_name(page_type.name, auth, viewport), full_page=True)
    results = axe.run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, _violations_report(results)
