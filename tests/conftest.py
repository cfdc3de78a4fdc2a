"""Fixtures shared by the whole suite.

The schema is built once per run; every test runs inside a transaction that is rolled back
through a savepoint ("joining a session into an external transaction", SQLAlchemy docs), so
tests never see each other's rows. Set TEST_DATABASE_URL to run on PostgreSQL.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

from app import create_app
from app.extensions import db as _db
from config import TestConfig

_TMP = Path(tempfile.mkdtemp(prefix="cocrea-tests-"))


def database_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.db'}"


class SuiteConfig(TestConfig):
    SQLALCHEMY_DATABASE_URI = database_url()
    MAIL_OUTBOX_DIR = str(_TMP / "mail-outbox")  # unsent test mail never lands in instance/
    MAIL_SYNC_BACKOFF_SECONDS = 0
    REPOSITORY_DIR = str(_TMP / "repository")  # uploaded documents stay in the test's folder


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (fresh `g`, its own session), as in production.

    The test itself holds an app context for its fixtures; without this, requests would reuse
    it and leak `g` (the signed-in user, the chosen locale) from one request to the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


class _ConnectionSession(FlaskSession):
    """A session that always uses the test's connection (Flask-SQLAlchemy picks engines)."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture(scope="session")
def app():
    app = create_app(SuiteConfig)
    app.test_client_class = FreshContextClient
    with app.app_context():
        _db.drop_all()
        _reset_extra_schema()
        _db.create_all()
    yield app
    with app.app_context():
        _db.engine.dispose()


def _reset_extra_schema() -> None:
    """Drop objects create_all does not know about (search tables, triggers)."""
    from app.proposals import search

    drop = getattr(search, "drop_search_schema", None)
    if drop is not None:
        with _db.engine.begin() as connection:
            drop(connection)


@pytest.fixture
def db(app):
    """The database, with everything the test writes rolled back afterwards."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session({
            "class_": _ConnectionSession, "bind": connection,
            "join_transaction_mode": "create_savepoint",
        })
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            if transaction.is_active:
                transaction.rollback()
            connection.close()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def seeded(db):
    """The reference data: the plan, 12 themes and 12 mesas (2018 dates)."""
    from app.cli.reference import seed_reference_data

    seed_reference_data()
    return db


PASSWORD = "correcto-caballo-bateria"  # noqa: S105 - test fixture


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, **extra):
        return self._client.post(
            "/auth/login", data={"email": email, "password": password, **extra}
        )

    def logout(self):
        return self._client.post("/auth/logout")

    def login_as(self, user):
        """Sign `user` in (created by a factory with the default password)."""
        response = self.login(user.email)
        assert response.status_code == 303, response.data
        return user


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def outbox(monkeypatch):
    """Every message passed to app.mail.send (the transport), instead of sending it; a list."""
    sent: list = []

    def capture(message):
        sent.append(message)
        return True

    monkeypatch.setattr("app.mail.send", capture)
    return sent
