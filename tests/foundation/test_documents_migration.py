"""The repository migration keeps every row; nobody is listed by name without consent."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.models.base import utcnow
from tests.foundation.test_migrations import fresh_sqlite_app  # noqa: F401 - a fixture

PREVIOUS_HEAD = "c3a7e5d19f42"  # plan cycles
TABLES = ("users", "user_sessions", "action_plans", "plan_phases", "themes", "mesas",
          "mesa_registrations")


def _fill_previous_schema() -> dict[str, int]:
    run = db.session.execute
    run(sa.text("INSERT INTO action_plans (id, slug, title, period, status, intro, "
                "allow_self_support, is_current, created_at) VALUES (1, 'plan', 'Plan', "
                "'2018-2020', 'cocreation', '', false, true, :now)"), {"now": utcnow()})
    run(sa.text("INSERT INTO plan_phases (plan_id, name, description, starts_on, ends_on, "
                "published_at, created_at) VALUES (1, 'Co-creación', '', '2018-06-01', "
                "'2018-07-31', :now, :now)"), {"now": utcnow()})
    run(sa.text("INSERT INTO themes (id, plan_id, slug, name, description, position, "
                "max_open_proposals_per_user) VALUES (1, 1, 't1', 'Temática', '', 1, 5)"))
    for user_id in (1, 2):
        run(sa.text(
            "INSERT INTO users (id, email, display_name, password_hash, role, sector, active, "
            "notify_comments, notify_replies, notify_decisions, created_at) "
            "VALUES (:id, :email, 'P', 'x', 'participant', 'academia', true, true, "
            "true, true, :now)"),
            {"id": user_id, "email": f"p{user_id}@ejemplo.org", "now": utcnow()})
        run(sa.text("INSERT INTO user_sessions (user_id, token_hash, device, remember, "
                    "created_at, last_seen_at) VALUES (:id, :token, 'Firefox', false, :now, "
                    ":now)"),
            {"id": user_id, "token": f"{user_id:064d}", "now": utcnow()})
    # A co-creation mesa of the theme and a forum meeting of no theme.
    run(sa.text("INSERT INTO mesas (id, plan_id, kind, theme_id, number, title, sequence, "
                "starts_at, ends_at, place, capacity, seats_taken, created_at) VALUES "
                "(1, 1, 'cocreation', 1, 1, '', 1, :start, :end, 'Guatemala', 10, 2, :now), "
                "(2, 1, 'forum', NULL, 2, 'Foro', 1, :start, :end, 'Guatemala', 30, 0, :now)"),
        {"start": utcnow() - timedelta(days=2), "end": utcnow() - timedelta(days=2, hours=-7),
         "now": utcnow()})
    for user_id in (1, 2):
        run(sa.text("INSERT INTO mesa_registrations (mesa_id, user_id, status, attended, "
                    "created_at) VALUES (1, :user, 'registered', true, :now)"),
            {"user": user_id, "now": utcnow()})
    db.session.commit()
    counts = _row_counts()
    db.session.close()  # the migration runs on a connection of its own
    return counts


def _row_counts() -> dict[str, int]:
    return {table: db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(table)))
            for table in TABLES}


def test_upgrade_keeps_every_row_and_lists_nobody_by_name(fresh_sqlite_app):  # noqa: F811
    with fresh_sqlite_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        before = _fill_previous_schema()
        upgrade()
        assert _row_counts() == before
        consents = db.session.scalars(sa.text("SELECT list_in_attendance FROM users")).all()
        assert consents == [False, False]
        assert db.session.scalar(sa.text("SELECT count(*) FROM documents")) == 0
        db.session.close()
        downgrade(revision=PREVIOUS_HEAD)
        assert _row_counts() == before
