"""Fixtures for the plan-cycle tests: an admin, a moderator, a captured outbox."""
from __future__ import annotations

import pytest

from tests.factories import ModeratorFactory, UserFactory


@pytest.fixture
def admin(db):
    return UserFactory(role="admin", sector="sector_publico")


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


@pytest.fixture
def outbox(monkeypatch):
    """Every message the app sends, instead of sending it."""
    sent = []

    def _capture(message):
        sent.append(message)
        return True

    monkeypatch.setattr("app.mail.send", _capture)
    return sent
