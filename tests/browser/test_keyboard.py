"""Keyboard use: every control reachable by Tab with a visible focus ring, the skip link,
and form errors summarized at the top and tied to their fields (the GOV.UK pattern)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import make_proposal
from tests.browser.pages import submit_main_form

# Marks every control a keyboard user should reach, and returns how many there are.
MARK_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
                 + '[tabindex]:not([tabindex="-1"])';
  let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    const hidden = '[aria-hidden=true], [hidden], details:not([open]) > :not(summary)';
    if (el.disabled || el.closest(hidden) || el.getAttribute('tabindex') === '-1'
        || !el.getClientRects().length) continue;
    el.dataset.kbd = String(n++);
  }
  return n;
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
            || (style.boxShadow && style.boxShadow !== 'none');
  return {kbd: el.dataset.kbd ?? null, ring: ring, focusVisible: el.matches(':focus-visible'),
          html: el.outerHTML.slice(0, 120)};
}"""


@pytest.fixture(scope="module")
def a_proposal(live_server):
    return make_proposal(live_server)[0]


@pytest.mark.parametrize("path", ["/", "/auth/register", "/mesas", "/themes", "/proposal"])
def test_every_control_is_reachable_by_tab_with_a_visible_focus_ring(page, path, a_proposal):
    if path == "/proposal":
        path = f"/proposals/{a_proposal}"
    page.goto(path)
    total = page.evaluate(MARK_CONTROLS)
    assert total > 0
    reached, without_ring = set(), []
    for _ in range(total + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        if focused["kbd"] is not None:
            reached.add(int(focused["kbd"]))
        if not (focused["ring"] and focused["focusVisible"]):
            without_ring.append(focused["html"])
    missing = page.evaluate(
        "reached => [...document.querySelectorAll('[data-kbd]')]"
        ".filter(el => !reached.includes(Number(el.dataset.kbd)))"
        ".map(el => el.outerHTML.slice(0, 120))", sorted(reached))
    assert not missing, f"not reachable by Tab: {missing}"
    assert not without_ring, f"focused without a visible focus ring: {without_ring}"


def test_skip_link_is_first_and_moves_focus_to_the_content(page):
    page.goto("/themes")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenido"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_form_errors_are_summarized_at_the_top_and_tied_to_their_fields(browsing, javascript):
    page = browsing.new_page(javascript=javascript)
    page.goto("/auth/register")
    submit_main_form(page)
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    first_in_main = page.locator("main > *:not(.flashes)").first.evaluate(
        "el => el.contains(document.querySelector('.error-summary'))"
        " || el.querySelector('h1') !== null")
    assert first_in_main
    if javascript:
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    links = summary.locator("a")
    assert links.count() >= 5
    for index in range(links.count()):
        link = links.nth(index)
        target = link.get_attribute("href")
        assert target.startswith("#") and len(target) > 1, target
        field = page.locator(target)
        assert field.count() == 1, f"the summary links to a missing field {target}"
        assert field.get_attribute("aria-invalid") == "true"
        described = (field.get_attribute("aria-describedby") or "").split()
        texts = [page.locator(f"#{ident}").inner_text() for ident in described]
        assert any(link.inner_text().strip() in text for text in texts), (
            f"{target}: error not tied to the field by aria-describedby")
    if javascript:
        links.first.click()
        assert page.evaluate("document.activeElement.id") == links.first.get_attribute(
            "href")[1:], "following a summary link puts the cursor in the field"
