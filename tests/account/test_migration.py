"""The sessions-per-device migration keeps every account and every signed-in cookie."""
from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.auth import devices
from app.extensions import db
from tests.conftest import SuiteConfig
from tests.production.conftest import postgres_available

PREVIOUS_HEAD = "5e8d3c1a7b90"
PG_DATABASE = f"cocrea_sessions_migration_{os.getpid()}"
USERS = [  # id, email, token, deleted
    (1, "ana@ejemplo.org", "token-de-ana", False),
    (2, "beto@ejemplo.org", "token-de-beto", False),
    (3, "eliminado-3@cuenta-eliminada.invalid", "token-viejo", True),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def migration_app(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'sessions.db'}"
    else:
        if not postgres_available():
            pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
        from tests.production.pg import recreate_database

        url = recreate_database(PG_DATABASE)
    app = create_app(type("MigrationConfig", (SuiteConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    loggers = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    handlers, level = list(logging.root.handlers), logging.root.level
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if request.param == "postgresql":
            from tests.production.pg import drop_database

            drop_database(PG_DATABASE)
        for name, logger in logging.root.manager.loggerDict.items():  # alembic's fileConfig
            if isinstance(logger, logging.Logger):
                logger.disabled = loggers.get(name, False)
        logging.root.handlers[:] = handlers
        logging.root.setLevel(level)


def _insert_users() -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    for user_id, email, token, deleted in USERS:
        db.session.execute(text(
            "INSERT INTO users (id, email, display_name, password_hash, role, sector, "
            "organization, active, session_token, notify_comments, notify_replies, "
            "notify_decisions, created_at, deleted_at) VALUES (:id, :email, :name, 'x', "
            "'participant', 'academia', 'Red', :active, :token, :t, :t, :t, :now, :deleted)"),
            {"id": user_id, "email": email, "name": f"Persona {user_id}", "active": not deleted,
             "token": token, "t": True, "now": now, "deleted": now if deleted else None})
        db.session.execute(text(  # a row that refers to the account, as most tables do
            "INSERT INTO flags (target_type, target_id, user_id, reason, details, created_at) "
            "VALUES ('proposal', 1, :id, 'spam', '', :now)"), {"id": user_id, "now": now})
    db.session.commit()


def _users() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(
        "SELECT users.id, email, display_name, organization, flags.id FROM users "
        "JOIN flags ON flags.user_id = users.id ORDER BY users.id"))]


def test_upgrade_keeps_accounts_and_the_cookies_already_signed_in(migration_app):
    from app.auth.session import load_user

    with migration_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        _insert_users()
        before = _users()
        db.session.remove()

        upgrade(revision="head")
        assert "session_token" not in {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert _users() == before
        rows = db.session.execute(text(
            "SELECT user_id, token_hash, remember FROM user_sessions ORDER BY user_id")).all()
        assert [(row[0], row[1]) for row in rows] == [
            (1, devices.hash_token("token-de-ana")), (2, devices.hash_token("token-de-beto"))]
        assert all(row[2] for row in rows)  # kept as long as a remember-me cookie
        with migration_app.test_request_context("/"):
            assert load_user("1:token-de-ana").email == "ana@ejemplo.org"
            assert load_user("2:token-de-ana") is None
            assert load_user("3:token-viejo") is None  # deleted accounts get no session
        db.session.remove()


def test_downgrade_gives_every_account_a_token_again(migration_app):
    with migration_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        _insert_users()
        before = _users()
        db.session.remove()
        upgrade(revision="head")
        db.session.remove()

        downgrade(revision=PREVIOUS_HEAD)
        assert "user_sessions" not in inspect(db.engine).get_table_names()
        assert _users() == before
        tokens = db.session.execute(text("SELECT session_token FROM users")).scalars().all()
        assert len(tokens) == 3 and all(tokens) and len(set(tokens)) == 3
        db.session.remove()
