"""Fixtures for the security suite: a cast of users, apps with CSRF or rate limits on."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from app import create_app
from app.extensions import limiter
from app.models.base import utcnow
from tests.conftest import AuthActions, FreshContextClient, SuiteConfig
from tests.factories import (
    CommentFactory,
    MesaFactory,
    ModeratorFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
)


class BufferedClient(FreshContextClient):
    """Reads streamed bodies at once, so a streamed export never outlives its request."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app, db):
    app.test_client_class = BufferedClient
    try:
        return app.test_client()
    finally:
        app.test_client_class = FreshContextClient


class CSRFConfig(SuiteConfig):
    WTF_CSRF_ENABLED = True


class LimitedConfig(SuiteConfig):
    RATELIMIT_ENABLED = True


class ConfirmationConfig(SuiteConfig):
    REQUIRE_EMAIL_CONFIRMATION = True


def build_client(config):
    app = create_app(config)
    app.test_client_class = BufferedClient
    return app.test_client()


@pytest.fixture
def csrf_client(db):
    return build_client(CSRFConfig)


@pytest.fixture
def limited_client(db):
    """Rate limits on (the suite's config turns them off); counters start and end empty."""
    client = build_client(LimitedConfig)
    limiter.reset()
    yield client
    limiter.reset()


@pytest.fixture
def confirmation_client(db):
    return build_client(ConfirmationConfig)



CSRF_INPUT = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no csrf_token on the page"
    return match.group(1) or match.group(2)


@dataclass
class World:
    """One of each role and the objects they own."""

    theme: object
    author: object
    other: object
    servant: object
    moderator: object
    admin: object
    proposal: object
    hidden_proposal: object
    comment: object
    mesa: object
    extra: dict = field(default_factory=dict)

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def world(db):
    theme = ThemeFactory()
    author = UserFactory(display_name="Autora")
    proposal = ProposalFactory(theme=theme, author=author)
    hidden = ProposalFactory(theme=theme, author=author, hidden=True,
                             hidden_reason="Contenido ofensivo", hidden_at=utcnow())
    return World(
        theme=theme, author=author, other=UserFactory(display_name="Otra persona"),
        servant=UserFactory(role="public_servant", sector="sector_publico",
                            institution="Ministerio"),
        moderator=ModeratorFactory(), admin=UserFactory(role="admin"),
        proposal=proposal, hidden_proposal=hidden,
        comment=CommentFactory(proposal_id=proposal.id, author_id=author.id),
        mesa=MesaFactory(theme=theme),
    )


@pytest.fixture
def login(client):
    """login(user) signs `user` in on the shared client (None stays anonymous)."""
    actions = AuthActions(client)

    def _login(user):
        if user is not None:
            actions.login_as(user)
        return client

    return _login
