"""Fixtures for the plan-cycle tests: an admin and a moderator (the outbox is the suite's)."""
from __future__ import annotations

import pytest

from tests.factories import ModeratorFactory, UserFactory


@pytest.fixture
def admin(db):
    return UserFactory(role="admin", sector="sector_publico")


@pytest.fixture
def moderator(db):
    return ModeratorFactory()

