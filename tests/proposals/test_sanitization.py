"""XSS payloads in every field render inert, wherever the proposal is shown."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.models import Proposal
from tests.proposals.conftest import proposal_form

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "\"><svg onload=alert(1)>",
    "'><iframe src=javascript:alert(1)>",
    "<scr<script>ipt>alert(1)</script>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<details open ontoggle=alert(1)>",
    "{{ 7*7 }} {% raw %}",
    "<style>@import 'http://evil';</style>",
    "![img](javascript:alert(1))",
    "<a href='&#106;avascript:alert(1)'>x</a>",
]
FIELDS = ("title", "problem", "cause", "description", "contribution", "lead_institution",
          "partners")


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def assert_inert(html: str) -> None:
    collector = TagCollector()
    collector.feed(html)
    for tag, attrs in collector.tags:
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), attrs
        if tag == "details" and attrs.get("class") == "site-menu":
            continue  # the header's own menu (partials/_header.html), not user content
        assert tag not in {"iframe", "svg", "img", "style", "details", "object", "embed"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action", "formaction"}:
                cleaned = "".join(value.split()).lower()
                assert not cleaned.startswith(("javascript:", "data:", "vbscript:")), value
    main = html[html.index("<main"):html.index("</main>")] if "<main" in html else html
    assert "<script" not in main


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_field_render_inert(client, auth, db, theme, participant, payload):
    auth.login_as(participant)
    data = proposal_form(theme.slug, **{name: f"{payload} texto {name}" for name in FIELDS})
    data["title"] = data["title"][:150]
    response = client.post("/proposals/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    proposal = db.session.scalar(select(Proposal))
    client.post(f"/proposals/{proposal.id}/edit",
                data={**data, "problem": f"{payload} segunda versión"})
    pages = [
        f"/proposals/{proposal.id}",
        f"/proposals/{proposal.id}/edit",
        f"/proposals/{proposal.id}/history",
        f"/themes/{theme.slug}",
        "/proposals",
        "/proposals?q=texto",
        f"/proposals/similar?theme={theme.slug}&title=texto",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.get_data(as_text=True))
    if "7*7" in payload:  # shown as typed, never evaluated as a template
        assert "{{ 7*7 }}" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_payloads_are_inert_on_the_form_after_a_validation_error(client, auth, theme,
                                                                 participant, payload):
    auth.login_as(participant)
    data = proposal_form(theme.slug, **{name: payload for name in FIELDS})
    data["description"] = ""
    response = client.post("/proposals/new", data=data)
    assert response.status_code == 400
    assert_inert(response.get_data(as_text=True))


def test_markdown_links_get_safe_rel(client, auth, db, theme, participant):
    auth.login_as(participant)
    client.post("/proposals/new", data=proposal_form(
        theme.slug, problem="Vea [el informe](https://example.org/informe)."))
    proposal = db.session.scalar(select(Proposal))
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'href="https://example.org/informe"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
