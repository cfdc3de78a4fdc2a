"""/api/docs: the browsable reference served from the pinned Swagger UI copy in static/."""
from __future__ import annotations

import re
from pathlib import Path


def test_api_reference_loads_the_pinned_swagger_ui_from_this_host(client, app):
    html = client.get("/api/docs").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in s for s in scripts)
    assert all(src.startswith("/static/") for src in scripts)
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    vendor = Path(app.static_folder) / "vendor" / "swagger-ui-5.35.0"
    assert (vendor / "swagger-ui-bundle.js").is_file() and (vendor / "LICENSE").is_file()


def test_api_guide_links_the_reference(client, db):
    assert 'href="/api/docs"' in client.get("/api").get_data(as_text=True)
