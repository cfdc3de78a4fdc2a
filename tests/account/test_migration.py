"""The sessions-per-device migration keeps every account and every signed-in cookie."""
from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.auth import devices
from app.extensions import db
from tests.migrating import on_both_databases

PREVIOUS_HEAD = "5e8d3c1a7b90"
USERS = [  # id, email, token, deleted
    (1, "ana@ejemplo.org", "token-de-ana", False),
    (2, "beto@ejemplo.org", "token-de-beto", False),
    (3, "eliminado-3@cuenta-eliminada.invalid", "token-viejo", True),
]


migration_app = on_both_databases("sessions_migration")


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
