"""Settings and the database engine."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from app import create_app
from config import ProductionConfig


def test_production_refuses_to_start_without_secret_and_database(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite-specific pragmas")
    # The test's own connection: a second one would wait for the test's write lock.
    pragma = lambda name: db.session.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000
    assert pragma("synchronous") == 1  # NORMAL


def test_timestamps_come_back_timezone_aware(db):
    from tests.factories import UserFactory

    user = UserFactory()
    db.session.expire_all()
    assert user.created_at.tzinfo is not None
