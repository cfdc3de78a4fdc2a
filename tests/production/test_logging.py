"""Structured logs: one JSON object per line, request fields, never an email or a password."""
from __future__ import annotations

import io
import json
import logging

import pytest

from app import logging_setup
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.production.conftest import make_app


@pytest.fixture
def json_app(app, db):
    """An app with production logging (JSON_LOGS), writing to a buffer instead of stdout."""
    instance = make_app(JSON_LOGS=True)
    buffer = io.StringIO()
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "cocrea-json")
    handler.setStream(buffer)
    instance.log_buffer = buffer
    yield instance
    logging.getLogger().removeHandler(handler)


def lines(app) -> list[dict]:
    return [json.loads(line) for line in app.log_buffer.getvalue().splitlines() if line]


def test_log_lines_are_json_with_request_fields_and_no_email(json_app):
    user = UserFactory(email="ana.lopez@ejemplo.org")
    client = json_app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    client.get("/account")
    json_app.logger.warning("mail for %s failed: password=%s", user.email, PASSWORD)

    text = json_app.log_buffer.getvalue()
    records = lines(json_app)  # every line parses as JSON
    assert "@" not in text and "ana.lopez" not in text and PASSWORD not in text
    login, account = [r for r in records if r["msg"] == "request"]
    assert login["route"] == "auth.login" and login["method"] == "POST"
    assert login["status"] == 303 and isinstance(login["duration_ms"], float)
    assert account["route"] == "account.edit" and account["status"] == 200
    assert account["user_id"] == user.id
    assert len(account["request_id"]) == 32
    assert records[-1]["level"] == "warning" and "[email]" in records[-1]["msg"]


def test_request_id_is_honoured_and_sent_back(json_app):
    response = json_app.test_client().get("/healthz", headers={"X-Request-ID": "lb-7f3a.01"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.01"
    assert lines(json_app)[-1]["request_id"] == "lb-7f3a.01"


def test_a_malformed_request_id_is_replaced(json_app):
    response = json_app.test_client().get("/healthz", headers={"X-Request-ID": "a b<script>"})
    assert response.headers["X-Request-ID"] != "a b<script>"
    assert len(response.headers["X-Request-ID"]) == 32


def test_raw_paths_with_tokens_never_reach_the_log(json_app):
    token = "IjQyOmFiY2RlZiI.ZxYwVg.a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"
    json_app.test_client().get(f"/auth/reset/{token}")
    text = json_app.log_buffer.getvalue()
    assert token not in text
    assert lines(json_app)[-1]["route"] == "auth.reset_password"


def test_scrub_removes_emails_tokens_and_secret_fields():
    text = "to=maria@gob.gt token=abc123 link=/auth/reset/" + "x" * 40 + " password=hunter2"
    scrubbed = logging_setup.scrub(text)
    assert "maria@gob.gt" not in scrubbed and "x" * 40 not in scrubbed
    assert "abc123" not in scrubbed and "hunter2" not in scrubbed


def test_development_keeps_plain_logs_but_still_sends_a_request_id(client):
    response = client.get("/healthz")
    assert len(response.headers["X-Request-ID"]) == 32
    assert not any(h.get_name() == "cocrea-json" for h in logging.getLogger().handlers)
