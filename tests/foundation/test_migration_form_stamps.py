"""The migration of used form stamps and account notices keeps every existing row."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db
from tests.foundation.test_migrations import _diff, fresh_sqlite_app  # noqa: F401 - fixture

PREVIOUS_HEAD = "c4d81e2f6a93"


def test_upgrade_from_the_previous_head_keeps_the_data(fresh_sqlite_app):  # noqa: F811
    with fresh_sqlite_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        db.session.execute(text(
            "INSERT INTO users (id, email, display_name, password_hash, role, sector, active, "
            "notify_comments, notify_replies, notify_decisions, created_at) "
            "VALUES (1, 'ana@ejemplo.org', 'Ana', 'x', 'participant', 'academia', 1, "
            "1, 1, 1, '2026-11-01 10:00:00')"))
        db.session.commit()
        upgrade()
        assert {"used_form_stamps", "account_notices"} <= set(inspect(db.engine).get_table_names())
        assert db.session.execute(text("SELECT email FROM users")).scalar() == "ana@ejemplo.org"
        db.session.execute(text(
            "INSERT INTO account_notices (user_id, kind, sent_at) "
            "VALUES (1, 'signup_attempt', '2026-11-30 07:00:00')"))
        db.session.commit()
        assert _diff(fresh_sqlite_app) == []
        downgrade(revision=PREVIOUS_HEAD)
        assert "account_notices" not in inspect(db.engine).get_table_names()
        assert db.session.execute(text("SELECT count(*) FROM users")).scalar() == 1
