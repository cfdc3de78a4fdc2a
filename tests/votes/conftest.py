"""Fixtures of the supports tests."""
from __future__ import annotations

import pytest

from tests.factories import ProposalFactory, UserFactory


@pytest.fixture
def proposal(db):
    return ProposalFactory()


@pytest.fixture
def participant(db):
    return UserFactory()


@pytest.fixture
def request_context(app, db):
    """Services translate their messages, which needs a request's locale."""
    with app.test_request_context():
        yield
