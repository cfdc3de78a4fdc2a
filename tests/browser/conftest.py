"""A real Chromium against a real server: journeys, no-JavaScript mode, accessibility, weight.

The app runs in a werkzeug server thread on a free loopback port, on its own SQLite file with
the reference data and the demo content (schedule moved to the coming weeks), CSRF on as in
production. Every test gets a fresh browser context; every request the page makes is recorded
and must stay on the app's own host. Skipped, with a message, only when Chromium is absent.
"""
from __future__ import annotations

import http.client
import re
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from config import TestConfig

HERE = Path(__file__).parent
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = HERE / "shots"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 740}
MODERATOR = ("moderadora@demo.cocrea.gt", "cocrea-demo-2018")
PASSWORD = "clave-de-prueba-larga"  # noqa: S105 - throwaway accounts of the browser suite
_TMP = Path(tempfile.mkdtemp(prefix="cocrea-browser-"))


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM} (install it "
                                   "with `make system-deps` or `apt-get install chromium`)")
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(skip)


class BrowserConfig(TestConfig):
    """The test settings with CSRF on (the real app uses it), rate limits off, and the plan's
    PDF rendered ahead after each change to the plan, as in production."""

    SQLALCHEMY_DATABASE_URI = f"sqlite:///{_TMP / 'browser.db'}"
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = False
    PDF_RENDER_AHEAD = True


# --- the server ------------------------------------------------------------------------------

@dataclass
class LiveServer:
    app: object
    url: str

    def status(self, path: str, method: str = "GET") -> int:
        """The status the server answers for `path`, without following redirects."""
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request(method, path)
            return connection.getresponse().status
        finally:
            connection.close()

    def require(self, path: str, feature: str, method: str = "GET") -> None:
        """Skip the test while the feature behind `path` has not landed on main."""
        if self.status(path, method) == 404:
            pytest.skip(f"{feature} ({method} {path}) not on main yet")

    def query(self, fn):
        """Run `fn()` in an app context (to look up ids the test needs)."""
        with self.app.app_context():
            return fn()


def _build_database(app) -> None:
    from app.cli.demo import add_demo_content, move_schedule_to_coming_weeks
    from app.extensions import db

    with app.app_context():
        db.drop_all()
        db.create_all()  # search objects (FTS5) come with the proposals table's events
        add_demo_content()
        move_schedule_to_coming_weeks()
        db.session.commit()


def _wait_for_render_ahead(seconds: float = 120) -> None:
    """Let the draft PDF that the demo content's commit started rendering finish before the
    server opens, as a deployed server has it ready long before its first download (a tagged
    PDF/UA layout takes seconds on a busy machine; a download's budget is 10 s)."""
    from app.plan import pdf

    deadline = time.monotonic() + seconds
    while pdf.rendering_ahead() and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.fixture(scope="session")
def live_server():
    from werkzeug.serving import make_server

    from app import create_app

    app = create_app(BrowserConfig)
    _build_database(app)
    _wait_for_render_ahead()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="cocrea-live", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            from app.extensions import db
            db.engine.dispose()


# --- the browser -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Network:
    """What a context asked for: every request and every finished response."""

    requests: list = field(default_factory=list)
    responses: list = field(default_factory=list)

    def clear(self) -> None:
        self.requests.clear()
        self.responses.clear()

    def foreign(self, base_url: str) -> list[str]:
        own = urlsplit(base_url).netloc
        return [url for url in self.requests
                if not url.startswith(("data:", "blob:", "about:"))
                and urlsplit(url).netloc != own]

    def server_errors(self) -> list[str]:
        return [f"{r.status} {r.url}" for r in self.responses if r.status >= 500]

    def transferred(self) -> int:
        """Bytes of response bodies as transferred (encoded size; redirects count 0)."""
        total = 0
        for response in self.responses:
            if 300 <= response.status < 400:
                continue
            try:
                size = response.request.sizes()["responseBodySize"]
            except Exception:  # noqa: BLE001 - sizes unavailable: fall back to the body
                size = -1
            if size is None or size < 0:
                try:
                    size = len(response.body())
                except Exception:  # noqa: BLE001 - no body (e.g. aborted)
                    size = 0
            total += size
        return total


class Browsing:
    """Opens contexts for a test and checks, when the test ends, where they went."""

    def __init__(self, browser, server: LiveServer):
        self.browser = browser
        self.server = server
        self.contexts: list = []
        self.networks: list[Network] = []

    def new_page(self, viewport=DESKTOP, javascript=True, storage_state=None):
        context = self.browser.new_context(
            base_url=self.server.url, viewport=viewport, java_script_enabled=javascript,
            locale="es-GT", storage_state=storage_state, service_workers="block",
        )
        context.set_default_timeout(10_000)
        network = Network()
        context.on("request", lambda request: network.requests.append(request.url))
        context.on("response", lambda response: network.responses.append(response))
        self.contexts.append(context)
        self.networks.append(network)
        page = context.new_page()
        page.network = network
        page.javascript = javascript
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    def check(self) -> None:
        for network in self.networks:
            foreign = network.foreign(self.server.url)
            assert not foreign, f"requests to another host: {foreign}"
            errors = network.server_errors()
            assert not errors, f"server errors: {errors}"


@pytest.fixture
def browsing(browser, live_server):
    session = Browsing(browser, live_server)
    yield session
    try:
        session.check()
    finally:
        session.close()


@pytest.fixture
def page(browsing):
    """Desktop (1280x800), JavaScript on."""
    return browsing.new_page(DESKTOP)


@pytest.fixture
def mobile_page(browsing):
    """A 360-px-wide phone, JavaScript on."""
    return browsing.new_page(MOBILE)


@pytest.fixture
def nojs_page(browsing):
    """Desktop with JavaScript disabled: everything must work through full-page forms."""
    return browsing.new_page(DESKTOP, javascript=False)


@pytest.fixture(params=["js", "nojs"])
def any_page(request, browsing):
    """The same journey with JavaScript on and off."""
    return browsing.new_page(DESKTOP, javascript=request.param == "js")


# --- helpers through the UI ------------------------------------------------------------------

def unique_email(prefix: str = "persona") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@ejemplo.gt"


def sign_up(page, email: str | None = None, name: str = "Participante de Prueba",
            sector: str = "sociedad_civil") -> str:
    """Create an account through the sign-up form; returns its email (signed in after)."""
    email = email or unique_email()
    page.goto("/auth/register")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Nombre para mostrar").fill(name)
    page.get_by_label("Sector").select_option(sector)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repita la contraseña").fill(PASSWORD)
    page.get_by_label("Acepto las condiciones").check()
    page.locator("main").get_by_role("button", name="Crear cuenta").click()
    page.wait_for_load_state()
    assert_signed_in(page)
    return email


def sign_in(page, email: str, password: str = PASSWORD, next_path: str | None = None) -> None:
    page.goto("/auth/login" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill(password)
    page.locator("main").get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()
    assert_signed_in(page)


def sign_in_as_moderator(page) -> None:
    sign_in(page, *MODERATOR)


def _open_header_menu(page) -> None:
    """On a phone the header's links sit in the closed "Menú" disclosure: open it."""
    menu = page.locator("header details.site-menu")
    if menu.count() and menu.first.is_visible() and menu.first.get_attribute("open") is None:
        menu.first.locator("summary").click()


def sign_out(page) -> None:
    _open_header_menu(page)
    page.locator("header").get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_load_state()


def assert_signed_in(page) -> None:
    _open_header_menu(page)
    header = page.locator("header")
    assert header.get_by_role("button", name="Cerrar sesión").count() == 1, page.url


def flash_text(page) -> str:
    return " ".join(page.locator(".flash").all_inner_texts())


def first_visible_proposal_id(server: LiveServer, status: str = "open") -> int | None:
    def lookup():
        from sqlalchemy import select

        from app.extensions import db
        from app.models import Proposal

        query = select(Proposal.id).where(Proposal.status == status, Proposal.hidden.is_(False))
        return db.session.scalar(query.order_by(Proposal.id).limit(1))

    return server.query(lookup)


def a_theme_slug(server: LiveServer) -> str:
    def lookup():
        from sqlalchemy import select

        from app.extensions import db
        from app.models import Theme
        from app.plans.services import current_plan_id_subquery

        # The current plan's: the seed also loads the previous plan, whose positions repeat.
        return db.session.scalar(select(Theme.slug).where(
            Theme.plan_id == current_plan_id_subquery()).order_by(Theme.position).limit(1))

    return server.query(lookup)


def shot_name(*parts: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    return SHOTS / ("-".join(re.sub(r"[^a-z0-9]+", "_", p.lower()).strip("_") for p in parts)
                    + ".png")


def make_proposal(server: LiveServer, title: str | None = None,
                  author_email: str = "sociedad@demo.cocrea.gt") -> tuple[int, str]:
    """An open proposal written straight to the database (independent of the proposals UI)."""
    title = title or f"Portal de datos abiertos de compras municipales {uuid.uuid4().hex[:6]}"

    def create():
        from sqlalchemy import select

        from app.extensions import db
        from app.models import Proposal, Theme, User
        from app.plans.services import current_plan_id_subquery
        from app.text import render_markdown

        theme = db.session.scalar(select(Theme).where(
            Theme.plan_id == current_plan_id_subquery()).order_by(Theme.position).limit(1))
        author = db.session.scalar(select(User).where(User.email == author_email))
        problem = "Las compras municipales no se publican en formato abierto."
        description = "Publicar cada compra municipal en datos abiertos, cada semana."
        proposal = Proposal(
            theme_id=theme.id, author_id=author.id, title=title, problem=problem,
            problem_html=render_markdown(problem), description=description,
            description_html=render_markdown(description), ogp_values=["transparency"],
            lead_institution="Ministerio de Finanzas Públicas",
        )
        db.session.add(proposal)
        db.session.commit()
        return proposal.id

    return server.query(create), title
