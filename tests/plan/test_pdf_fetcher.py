"""WeasyPrint reads only the app's own static files: never the network, never other files."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from app.plan import pdf


@pytest.fixture
def web_server():
    """A local web server that records every request it gets."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's API
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_pdf_rendering_never_fetches_a_remote_url(app, web_server):
    base, seen = web_server
    html = (f'<link rel="stylesheet" href="{base}/evil.css"><p>Plan</p>'
            f'<img src="{base}/pixel.png"><p style="background: url({base}/bg.png)">x</p>')
    with app.test_request_context():
        document = pdf.write_pdf(html)
    assert document.startswith(b"%PDF")
    assert seen == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "file:///static/../../config.py",
                                 "https://cocrea.example.gt/static/css/cocrea.css",
                                 "data:text/css,p{color:red}", "ftp://example.org/x"])
def test_the_fetcher_refuses_anything_but_static_files(app, url):
    root = Path(app.static_folder).resolve()
    assert pdf.static_file_path(url, root) is None
    with pytest.raises(ValueError):
        pdf.static_files_fetcher(root).fetch(url)


def test_the_fetcher_serves_the_apps_static_files(app):
    root = Path(app.static_folder).resolve()
    for url in ("file:///static/css/plan-print.css", (root / "css" / "plan-print.css").as_uri()):
        response = pdf.static_files_fetcher(root).fetch(url)
        try:
            assert b"@page" in response.read()
        finally:
            response.close()
        assert pdf.static_file_path(url, root) == root / "css" / "plan-print.css"


def test_site_static_urls_are_read_from_disk_and_links_point_to_base_url(app, monkeypatch):
    import io

    from pypdf import PdfReader

    monkeypatch.setitem(app.config, "BASE_URL", "https://cocrea.example.gt")
    root = Path(app.static_folder).resolve()
    assert pdf.static_file_path("https://cocrea.example.gt/static/css/plan-print.css", root,
                                "https://cocrea.example.gt") == root / "css" / "plan-print.css"
    with app.test_request_context():
        document = pdf.write_pdf('<p><a href="/proposals/12">#12</a></p>')
    links = [annotation.get_object().get("/A", {}).get("/URI")
             for page in PdfReader(io.BytesIO(document)).pages
             for annotation in page.get("/Annots", [])]
    assert links == ["https://cocrea.example.gt/proposals/12"]


def test_background_renders_run_on_base_url_where_production_trusts_the_host(app, monkeypatch):
    """Render-ahead threads have no request: theirs is made on BASE_URL, the only host that
    production answers (TRUSTED_HOSTS), so the links they build work."""
    from flask import url_for

    monkeypatch.setitem(app.config, "BASE_URL", "https://cocrea.example.gt")
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["cocrea.example.gt"])
    built = []
    pdf._run(app, "test-key", lambda: built.append(url_for("plan.index", _external=True)), "es")
    assert built == ["https://cocrea.example.gt/plan"]
