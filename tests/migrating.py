"""The one setup of the migration tests: an app on a scratch database of this run.

`migration_app("sqlite" | "postgresql", tmp_path, name)` yields an app (the suite's settings)
on `tmp_path/<name>.db` or on the PostgreSQL database `cocrea_<name>_<pid>` (recreated; the
test is skipped when PostgreSQL is not reachable). Afterwards the engine is disposed, the
PostgreSQL database dropped, and the suite's logging put back: Alembic's `env.py`
reconfigures logging from `alembic.ini` on every upgrade.

`on_both_databases(name)` is that app as a fixture run once per database. The tests write the
previous head's rows by name (`sa.table`/SQL), never through today's models.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import SuiteConfig
from tests.production.conftest import postgres_available


@contextmanager
def suite_logging_kept() -> Iterator[None]:
    """Restore the root logger's handlers and level and each logger's `disabled` flag."""
    loggers = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    handlers, level = list(logging.root.handlers), logging.root.level
    try:
        yield
    finally:
        for name, logger in logging.root.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.disabled = loggers.get(name, False)
        logging.root.handlers[:] = handlers
        logging.root.setLevel(level)


@contextmanager
def migration_app(backend: str, tmp_path, name: str):
    """An app on a scratch database (`backend`: "sqlite" or "postgresql"); see the module."""
    pg_database = f"cocrea_{name}_{os.getpid()}"
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / f'{name}.db'}"
    elif backend == "postgresql":
        if not postgres_available():
            pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
        from tests.production.pg import recreate_database

        url = recreate_database(pg_database)
    else:
        raise ValueError(f"unknown backend {backend!r}")
    app = create_app(type("MigrationConfig", (SuiteConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with suite_logging_kept():
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if backend == "postgresql":
                from tests.production.pg import drop_database

                drop_database(pg_database)


def on_both_databases(name: str):
    """A fixture: `migration_app` on SQLite, then on PostgreSQL."""
    @pytest.fixture(params=["sqlite", "postgresql"])
    def fixture(request, tmp_path):
        with migration_app(request.param, tmp_path, name) as app:
            yield app
    return fixture
