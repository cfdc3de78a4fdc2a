"""Fixtures for the mesas tests: a captured outbox and mesas in the past or the future."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models.base import utcnow
from tests.factories import MesaFactory


@pytest.fixture
def past_mesa(db):
    start = utcnow() - timedelta(days=3)
    return MesaFactory(starts_at=start, ends_at=start + timedelta(hours=7))


@pytest.fixture
def small_mesa(db):
    return MesaFactory(capacity=2)
