"""Fixtures for the account tests: a second browser, a captured outbox, a rate-limited client."""
from __future__ import annotations

import pytest

from app.extensions import limiter
from tests.conftest import AuthActions
from tests.security.conftest import LimitedConfig, build_client


@pytest.fixture
def other_client(app, db):
    """Another device of the same person (its own cookie jar)."""
    return app.test_client()


@pytest.fixture
def other_auth(other_client):
    return AuthActions(other_client)



@pytest.fixture
def limited_client(db):
    """Rate limits on; counters start and end empty."""
    client = build_client(LimitedConfig)
    limiter.reset()
    yield client
    limiter.reset()
