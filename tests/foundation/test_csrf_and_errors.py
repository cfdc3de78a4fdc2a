"""CSRF protection is on outside tests; errors are pages, never a 500."""
from __future__ import annotations

import pytest

from app import create_app
from tests.conftest import FreshContextClient, SuiteConfig


class CSRFConfig(SuiteConfig):
    WTF_CSRF_ENABLED = True


@pytest.fixture
def csrf_client(db):
    app = create_app(CSRFConfig)
    app.test_client_class = FreshContextClient
    return app.test_client()


def test_post_without_csrf_token_is_refused_with_a_clear_message(csrf_client):
    response = csrf_client.post("/auth/login", data={"email": "a@b.org", "password": "x" * 12})
    assert response.status_code == 400
    assert "El formulario caducó o no es válido".encode() in response.data


def test_post_with_the_form_token_is_accepted(csrf_client):
    import re

    page = csrf_client.get("/auth/login").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post("/auth/login", data={"email": "a@b.org", "password": "x" * 12,
                                                     "csrf_token": token})
    assert response.status_code == 400  # wrong password, but past the CSRF check
    assert "El correo o la contraseña".encode() in response.data


@pytest.mark.parametrize("url, status", [
    ("/proposals/999999", 404), ("/proposals/abc", 404), ("/themes/no-existe", 404),
    ("/api/v1/proposals?page=-1", 400), ("/api/v1/proposals?sort=x", 400),
])
def test_bad_input_gets_a_clear_error(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert (b'<html lang="es">' in response.data) or response.is_json


@pytest.mark.parametrize("query", [
    "page=-1", "page=abc", "page=99999999999", "sort=x", "status=bogus", "theme=nope",
    "per_page=-5",
])
def test_mistyped_listing_parameters_fall_back_to_the_default_listing(client, query):
    from tests.factories import ProposalFactory

    ProposalFactory(title="Una propuesta visible")
    default = client.get("/proposals")
    assert default.data.count(b"proposal-card") >= 1
    response = client.get(f"/proposals?{query}")
    assert response.status_code == 200
    assert b"<h1" in response.data and response.data.count(b"proposal-card") == \
        default.data.count(b"proposal-card")


def test_security_headers_are_on_every_response(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
