"""SMTP over TLS always verifies the server: STARTTLS and implicit TLS (port 465)."""
from __future__ import annotations

import smtplib
import ssl

import pytest

from app import mail


class FakeSMTP:
    """Records how the connection was made; accepts every message."""

    made: list[FakeSMTP] = []

    def __init__(self, host, port, timeout=None, context=None):
        self.host, self.port, self.implicit_context, self.starttls_context = (
            host, port, context, None)
        self.sent = []
        FakeSMTP.made.append(self)

    def starttls(self, context=None):
        self.starttls_context = context

    def login(self, user, password):
        pass

    def send_message(self, message):
        self.sent.append(message)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def fake_smtp(app, monkeypatch):
    FakeSMTP.made = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(smtplib, "SMTP_SSL", type("FakeSMTPSSL", (FakeSMTP,), {}))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.gt")
    return FakeSMTP.made


def _verifies(context) -> bool:
    return (isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED
            and context.check_hostname)


def _send(app):
    with app.app_context():
        return mail.send(mail.Message(to="a@ejemplo.org", subject="Hola", body="Texto"))


def test_starttls_verifies_the_server_certificate(app, fake_smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", 587)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    assert _send(app)
    [connection] = fake_smtp
    assert type(connection).__name__ == "FakeSMTP"
    assert _verifies(connection.starttls_context)


@pytest.mark.parametrize("port, use_ssl", [(465, False), (2465, True)])
def test_implicit_tls_on_port_465_or_when_asked(app, fake_smtp, monkeypatch, port, use_ssl):
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", use_ssl)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    assert _send(app)
    [connection] = fake_smtp
    assert type(connection).__name__ == "FakeSMTPSSL"
    assert _verifies(connection.implicit_context)
    assert len(connection.sent) == 1
