"""A separate app whose requests really commit (threads, rate limits), on its own database.

SQLite: a file in a temporary folder. PostgreSQL (TEST_DATABASE_URL): a schema of its own in
that database, dropped afterwards, so the suite's savepoint-isolated tests never see its rows.
"""
from __future__ import annotations

import contextlib
import os
import uuid

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.extensions import limiter as _limiter
from config import TestConfig
from tests.conftest import PASSWORD


@contextlib.contextmanager
def live_app(tmp_path, **settings):
    pg_url = os.environ.get("TEST_DATABASE_URL")
    schema = None
    overrides = dict(settings)
    if pg_url:
        schema = f"participation_{uuid.uuid4().hex[:10]}"
        engine = sa.create_engine(pg_url)
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        overrides["SQLALCHEMY_DATABASE_URI"] = pg_url
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True, "pool_size": 20, "max_overflow": 20,
            "connect_args": {"options": f"-csearch_path={schema}"},
        }
    else:
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'live.db'}"
    config = type("LiveConfig", (TestConfig,), overrides)
    was_enabled = _limiter.enabled
    app = create_app(config)
    try:
        with app.app_context():
            db.create_all()
        yield app
    finally:
        # The limiter is one object shared by every app of the process: put it back.
        _limiter.enabled = was_enabled
        with contextlib.suppress(Exception):
            _limiter.reset()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema:
            with engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


def make_people(app, count: int, theme_kwargs=None):
    """`count` participants and one open proposal by another author; returns (ids, proposal id)."""
    from tests.factories import ProposalFactory, UserFactory

    with app.app_context():
        proposal = ProposalFactory(**({"theme__" + k: v for k, v in (theme_kwargs or {}).items()}))
        users = [UserFactory() for _ in range(count)]
        db.session.commit()
        return [(u.id, u.email) for u in users], proposal.id


def login(client, email: str):
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.data
