"""Request ids everywhere; structured JSON logs in production (JSON_LOGS).

Every request gets an id: the caller's `X-Request-ID` when it is well formed (a proxy or load
balancer set it), otherwise a new one; it is sent back in the `X-Request-ID` response header
and written on every log line of that request. With JSON_LOGS, each log record is one JSON
object on stdout and each request ends with a `request` line: route (the endpoint name, never
the raw path, which may carry a reset token), method, status, duration in ms, user id.
Email addresses and token-like strings are scrubbed from every message.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request, request_started

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# itsdangerous tokens, session cookies, API keys: long runs of URL-safe characters.
_TOKEN = re.compile(
    r"[A-Za-z0-9_\-]{4,}(?:\.[A-Za-z0-9_\-]{4,}){2,}"  # payload.timestamp.signature
    r"|[A-Za-z0-9_\-]{32,}"
)
_SECRET_FIELD = re.compile(r"(?i)(password|passwd|token|secret|authorization|cookie)=\S+")

request_logger = logging.getLogger("cocrea.request")


def scrub(text: str) -> str:
    """Remove what must never reach a log: emails, tokens, password/token fields."""
    text = _EMAIL.sub("[email]", text)
    text = _SECRET_FIELD.sub(lambda m: f"{m.group(1)}=[redacted]", text)
    return _TOKEN.sub("[redacted]", text)


class JsonFormatter(logging.Formatter):
    """One JSON object per record; request fields added when there is a request."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        if has_request_context():
            entry["request_id"] = g.get("request_id")
        for key in ("request_id", "route", "method", "status", "duration_ms", "user_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def new_request_id(incoming: str | None) -> str:
    if incoming and _VALID_REQUEST_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def _current_user_id() -> int | None:
    # Only the user Flask-Login already loaded: logging never costs a query.
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return user.id
    return None


def configure(app: Flask, stream=None) -> None:
    """Request ids for every app; JSON output when JSON_LOGS is on (production)."""
    json_logs = bool(app.config.get("JSON_LOGS"))

    def _on_request_started(sender, **_extra):
        g.request_started = time.perf_counter()
        g.request_id = new_request_id(request.headers.get(REQUEST_ID_HEADER))

    # The signal fires before every before_request hook, so a request refused by one of them
    # (rate limit, CSRF) is still timed and logged.
    request_started.connect(_on_request_started, app, weak=False)

    @app.after_request
    def _emit_request_id(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        if json_logs:
            _log_request(response)
        return response

    if json_logs:
        _install_json_handler(app, stream or sys.stdout)


def _log_request(response) -> None:
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    request_logger.info(
        "request",
        extra={
            "route": request.endpoint or "unmatched",
            "method": request.method,
            "status": response.status_code,
            "duration_ms": duration,
            "user_id": _current_user_id(),
        },
    )


def _install_json_handler(app: Flask, stream) -> None:
    from flask.logging import default_handler

    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.set_name("cocrea-json")
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() == "cocrea-json":
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    app.logger.removeHandler(default_handler)
    app.logger.propagate = True
