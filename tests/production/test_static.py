"""Static files: fingerprinted URLs, a year of caching for them, compressed responses."""
from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

from flask import url_for


def _hash(app, filename: str) -> str:
    data = (Path(app.static_folder) / filename).read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


def test_static_urls_carry_the_content_hash(app):
    with app.test_request_context():
        url = url_for("static", filename="css/cocrea.css")
    assert url == f"/static/css/cocrea.css?v={_hash(app, 'css/cocrea.css')}"


def test_pages_link_fingerprinted_assets(client, app):
    html = client.get("/").get_data(as_text=True)
    assert f"css/cocrea.css?v={_hash(app, 'css/cocrea.css')}" in html
    assert f"js/cocrea.js?v={_hash(app, 'js/cocrea.js')}" in html


def test_fingerprinted_static_files_are_cached_for_a_year(client, app):
    response = client.get(f"/static/css/cocrea.css?v={_hash(app, 'css/cocrea.css')}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_stale_fingerprint_is_not_cached_for_long(client):
    response = client.get("/static/css/cocrea.css?v=000000000000")
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")


def _without_tokens(html: bytes) -> bytes:
    return re.sub(rb'(value="|"X-CSRFToken": ")[\w.-]+', rb"\1TOKEN", html)


def test_pages_are_compressed_when_the_client_accepts_it(client):
    plain = client.get("/").get_data()
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    # The CSRF token carries a timestamp: compare the pages without it.
    assert _without_tokens(gzip.decompress(response.get_data())) == _without_tokens(plain)
    assert "Accept-Encoding" in response.headers["Vary"]


def test_fingerprints_never_read_outside_the_static_folder(app):
    with app.test_request_context():
        url = url_for("static", filename="../../config.py")
    assert "?v=" not in url
