"""Every page type of the interface, how to reach it, and who can see it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ANYONE, SIGNED_OUT, SIGNED_IN = "anyone", "signed_out", "signed_in"


def submit_main_form(page) -> None:
    """Send the page's main form empty, to show its errors."""
    page.locator("main form[method=post]").last.locator("button[type=submit]").last.click()
    page.wait_for_load_state()


@dataclass(frozen=True)
class PageType:
    name: str
    path: str  # may hold {slug} and {proposal}
    who: str = ANYONE
    then: Callable | None = None  # an action after loading (e.g. submit to show errors)
    status: int = 200
    feature: str | None = None  # skip while this path answers 404 (not on main yet)


PAGE_TYPES = (
    PageType("home", "/"),
    PageType("themes", "/themes"),
    PageType("theme", "/themes/{slug}"),
    PageType("proposals", "/proposals"),
    PageType("proposal", "/proposals/{proposal}"),
    PageType("new-proposal-errors", "/proposals/new?theme={slug}", SIGNED_IN,
             then=submit_main_form, status=400, feature="writing proposals"),
    PageType("sign-in-errors", "/auth/login", SIGNED_OUT, then=submit_main_form, status=400),
    PageType("register", "/auth/register", SIGNED_OUT),
    PageType("register-errors", "/auth/register", SIGNED_OUT, then=submit_main_form, status=400),
    PageType("account", "/account", SIGNED_IN),
    PageType("account-sessions", "/account/sessions", SIGNED_IN),
    PageType("account-password-errors", "/account/password", SIGNED_IN, then=submit_main_form,
             status=400),
    PageType("terms", "/terms"),
    PageType("privacy", "/privacy"),
    PageType("mesas", "/mesas"),
    PageType("plan", "/plan"),
    PageType("transparency", "/transparency"),
    PageType("moderation", "/moderation", SIGNED_IN),
    PageType("api-docs", "/api"),
    PageType("plans", "/plans"),
    PageType("timeline", "/timeline"),
    PageType("admin", "/admin", SIGNED_IN),
    PageType("admin-theme-errors", "/admin/themes/new", SIGNED_IN, then=submit_main_form,
             status=400),
    PageType("new-meeting-errors", "/mesas/new", SIGNED_IN, then=submit_main_form, status=400),
    PageType("repository", "/repository"),
    PageType("repository-upload-errors", "/repository/upload", SIGNED_IN,
             then=submit_main_form, status=400),
    PageType("participation", "/account/participation", SIGNED_IN),
    PageType("not-found", "/no-existe-esta-pagina", status=404),
)
