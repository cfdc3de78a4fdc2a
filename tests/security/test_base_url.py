"""BASE_URL is the only source of absolute URLs; a hostile Host header never reaches one.

Every kind of email is sent here with `Host: evil.example`: every URL in it (body, headers,
the .ics attachment) must be on BASE_URL. In production a foreign Host answers 400.
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from app import create_app, mail
from app.models.base import utcnow
from app.urls import absolute_url
from tests.conftest import FreshContextClient, SuiteConfig
from tests.factories import (
    CommentFactory,
    MesaFactory,
    ModeratorFactory,
    ProposalFactory,
    UserFactory,
)

BASE = "https://cocrea.example.gt"
HOSTILE = {"Host": "evil.example"}
URL = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture
def sent(outbox):
    return outbox


@pytest.fixture
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", BASE)
    return BASE



def _everything_in(message: mail.Message) -> str:
    parts = [message.subject, message.body, *message.headers.values()]
    parts += [item.content.decode("utf-8").replace("\r\n ", "") for item in message.attachments]
    return "\n".join(parts)


def _assert_only_base_url(messages: list[mail.Message], expected: int) -> None:
    assert len(messages) >= expected
    for message in messages:
        text = _everything_in(message)
        assert "evil.example" not in text, text
        urls = URL.findall(text)
        assert urls, f"no link in {message.subject!r}"
        for url in urls:
            assert url.startswith(BASE + "/"), url


def _login(client, user):
    response = client.post("/auth/login", data={"email": user.email,
                                                "password": "correcto-caballo-bateria"},
                           headers=HOSTILE)
    assert response.status_code == 303


def test_password_reset_email_links_only_to_base_url(client, db, base_url, sent):
    user = UserFactory()
    response = client.post("/auth/reset", data={"email": user.email}, headers=HOSTILE)
    assert response.status_code == 303
    _assert_only_base_url(sent, 1)
    assert f"{BASE}/auth/reset/" in sent[0].body


def test_sign_up_emails_link_only_to_base_url(app, client, db, base_url, sent, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_EMAIL_CONFIRMATION", True)
    existing = UserFactory()
    form = {"display_name": "Ana", "password": "una-clave-bien-larga",
            "password_confirm": "una-clave-bien-larga", "sector": "academia",
            "accept_terms": "y"}
    client.post("/auth/register", data={**form, "email": "nueva@ejemplo.org"}, headers=HOSTILE)
    client.post("/auth/register", data={**form, "email": existing.email}, headers=HOSTILE)
    _assert_only_base_url(sent, 2)
    assert {m.to for m in sent} == {"nueva@ejemplo.org", existing.email}


def test_comment_and_reply_notices_link_only_to_base_url(client, db, base_url, sent):
    proposal = ProposalFactory()
    parent = CommentFactory(proposal_id=proposal.id)
    _login(client, UserFactory())
    client.post(f"/proposals/{proposal.id}/comments",
                data={"body": "Una respuesta", "parent_id": str(parent.id)}, headers=HOSTILE)
    _assert_only_base_url(sent, 2)
    assert all(m.headers["List-Unsubscribe"].startswith(f"<{BASE}/unsubscribe/") for m in sent)


def test_decision_and_auto_hide_notices_link_only_to_base_url(client, db, base_url, sent):
    proposal = ProposalFactory()
    _login(client, ModeratorFactory())
    response = client.post(f"/moderation/proposals/{proposal.id}/decision", headers=HOSTILE,
                           data={"status": "rejected",
                                 "response": "No corresponde a las temáticas de este plan."})
    assert response.status_code == 303
    comment = CommentFactory(proposal_id=ProposalFactory().id)
    for _ in range(3):  # established accounts: their reports hide the comment at once
        client.post("/auth/logout", headers=HOSTILE)
        _login(client, UserFactory(created_at=utcnow() - timedelta(days=60)))
        client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}, headers=HOSTILE)
    db.session.refresh(comment)
    assert comment.hidden
    _assert_only_base_url(sent, 2)
    assert any(m.subject.startswith("Su contenido fue ocultado") for m in sent)


def test_mesa_confirmation_and_its_ics_use_only_base_url(client, db, base_url, sent):
    mesa = MesaFactory()
    _login(client, UserFactory())
    response = client.post(f"/mesas/{mesa.id}/register", headers=HOSTILE)
    assert response.status_code in (200, 303)
    _assert_only_base_url(sent, 1)
    ics = sent[0].attachments[0].content.decode().replace("\r\n ", "")
    assert f"URL:{BASE}/mesas#mesa-{mesa.id}" in ics
    assert f"UID:mesa-{mesa.id}@cocrea.example.gt" in ics
    download = client.get(f"/mesas/{mesa.id}.ics", headers=HOSTILE).get_data(as_text=True)
    assert "evil.example" not in download and "@cocrea.example.gt" in download


def test_api_url_fields_and_openapi_servers_use_base_url(client, db, base_url):
    proposal = ProposalFactory()
    item = client.get(f"/api/v1/proposals/{proposal.id}", headers=HOSTILE).get_json()
    assert item["url"] == f"{BASE}/proposals/{proposal.id}"
    listing = client.get("/api/v1/proposals", headers=HOSTILE).get_json()
    assert listing["items"][0]["url"].startswith(BASE + "/")
    spec = client.get("/api/v1/openapi.json", headers=HOSTILE).get_json()
    assert spec["servers"][0]["url"].startswith(BASE)
    assert "evil.example" not in str(spec)


def test_absolute_urls_outside_a_request_come_from_base_url(app, db, base_url):
    """CLI commands and background jobs have no request: they use BASE_URL too."""
    assert absolute_url("proposals.detail", proposal_id=7) == f"{BASE}/proposals/7"
    assert absolute_url("mesas.index", _anchor="mesa-2") == f"{BASE}/mesas#mesa-2"


def test_base_url_with_a_path_prefix_keeps_it(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://gob.example.gt/cocrea")
    with app.app_context():
        assert absolute_url("proposals.detail", proposal_id=3) == \
            "https://gob.example.gt/cocrea/proposals/3"


def test_no_code_builds_absolute_urls_from_the_request():
    """The whole kind: `_external=True`, `host_url`, `url_root` and `request.host` read the
    Host header; only app/urls.py may touch it (to compare a referrer with it)."""
    root = Path(__file__).resolve().parents[2] / "app"
    offenders = []
    for path in root.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt"} or path.name == "urls.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in ("_external", "host_url", "url_root", "request.host", "request.url"):
            if pattern in text:
                offenders.append(f"{path.relative_to(root)}: {pattern}")
    assert offenders == []


# --- production: BASE_URL required, foreign hosts refused ------------------------------------

def _production_app(monkeypatch, **settings):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", SuiteConfig.SQLALCHEMY_DATABASE_URI)
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "1")  # rate limits in memory: one worker only
    config = type("Production", (SuiteConfig,), {"ENV_NAME": "production", **settings})
    app = create_app(config)
    app.test_client_class = FreshContextClient
    return app


def test_production_refuses_to_start_without_base_url(monkeypatch):
    with pytest.raises(RuntimeError, match="BASE_URL"):
        _production_app(monkeypatch, BASE_URL=None)


@pytest.mark.parametrize("value", ["cocrea.example.gt", "ftp://cocrea.example.gt",
                                   "https://", "https://x.gt/?a=1"])
def test_production_refuses_a_malformed_base_url(monkeypatch, value):
    with pytest.raises(RuntimeError, match="BASE_URL"):
        _production_app(monkeypatch, BASE_URL=value)


def test_production_answers_400_to_a_foreign_host(monkeypatch, db):
    app = _production_app(monkeypatch, BASE_URL=BASE)
    client = app.test_client()
    assert client.get("/healthz", headers=HOSTILE).status_code == 400
    assert client.post("/auth/reset", data={"email": "a@b.org"},
                       headers=HOSTILE).status_code == 400
    assert client.get("/healthz", headers={"Host": "cocrea.example.gt"}).status_code == 200
    assert client.get("/healthz", base_url=BASE).status_code == 200


def test_development_defaults_to_the_local_server():
    from config import DevelopmentConfig

    assert DevelopmentConfig.BASE_URL.startswith("http://127.0.0.1")


def test_the_nginx_sample_passes_only_the_site_host():
    text = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    assert "default_server" in text and "return 444" in text
    assert "BASE_URL" in text

