"""Fixtures for the mesas tests: a captured outbox and mesas in the past or the future."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models.base import utcnow
from tests.factories import MesaFactory


@pytest.fixture
def outbox(monkeypatch):
    """Every message the app sends, instead of sending it."""
    sent = []

    def _capture(message):
        sent.append(message)
        return True

    monkeypatch.setattr("app.mail.send", _capture)
    return sent


@pytest.fixture
def past_mesa(db):
    start = utcnow() - timedelta(days=3)
    return MesaFactory(starts_at=start, ends_at=start + timedelta(hours=7))


@pytest.fixture
def small_mesa(db):
    return MesaFactory(capacity=2)
