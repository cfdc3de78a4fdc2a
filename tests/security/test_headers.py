"""Security headers on every response, HSTS in production only, strict CSP that htmx obeys."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from tests.conftest import FreshContextClient, SuiteConfig
from tests.security.test_route_audit import GET_ROUTES


@pytest.mark.parametrize("route", GET_ROUTES, ids=str)
def test_every_response_carries_the_security_headers(client, db, route):
    response = client.get(route.url())
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'", "base-uri 'self'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers


def test_static_files_and_errors_carry_them_too(client, db):
    for url in ("/static/js/cocrea.js", "/no-such-page"):
        assert "Content-Security-Policy" in client.get(url).headers


def test_hsts_only_in_production(monkeypatch, db):
    class Production(SuiteConfig):
        ENV_NAME = "production"

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", SuiteConfig.SQLALCHEMY_DATABASE_URI)
    monkeypatch.setenv("WEB_CONCURRENCY", "1")  # rate limits in memory: one worker only
    app = create_app(Production)
    app.test_client_class = FreshContextClient
    response = app.test_client().get("/healthz")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_signed_in_pages_are_not_cached(client, auth, db):
    from tests.factories import UserFactory

    auth.login_as(UserFactory())
    assert "no-store" in client.get("/account").headers["Cache-Control"]


def test_htmx_is_configured_without_eval_or_script_tags(client, db):
    page = client.get("/").get_data(as_text=True)
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', page).group(1)
    assert '"allowEval": false' in config and '"allowScriptTags": false' in config
    assert '"selfRequestsOnly": true' in config


def test_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    for path in Path("app/templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(f"{path}: inline style")
        if re.search(r"\son[a-z]+\s*=", text) or "hx-on" in text or "javascript:" in text:
            offenders.append(f"{path}: inline handler")
    assert not offenders


def test_our_scripts_use_no_eval():
    for path in Path("app/static/js").rglob("*.js"):
        text = path.read_text()
        assert not re.search(r"\beval\(|new Function\(|setTimeout\(\s*['\"]", text), path
