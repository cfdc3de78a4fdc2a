"""Fixtures for moderation tests: captured email, and a theme with a seeded plan."""
from __future__ import annotations

import pytest

from app.models import Vote
from tests.factories import ProposalFactory, ThemeFactory, UserFactory


@pytest.fixture
def theme(db):
    return ThemeFactory()


def support(proposal, *users):
    """Record supports directly (the votes feature owns the real route)."""
    from app.extensions import db

    for user in users:
        db.session.add(Vote(user_id=user.id, proposal_id=proposal.id, theme_id=proposal.theme_id))
    proposal.vote_count += len(users)
    db.session.flush()


@pytest.fixture
def make_proposal(theme):
    def make(**kwargs):
        kwargs.setdefault("theme", theme)
        return ProposalFactory(**kwargs)

    return make


__all__ = ["support", "UserFactory"]


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services translate their messages, which needs a request (the locale)."""
    with app.test_request_context():
        yield
