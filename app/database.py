"""Engine set-up for the two supported databases.

SQLite is the embedded default and must not answer "database is locked" under concurrent
requests: every connection waits (busy_timeout), uses WAL, and write requests take the write
lock at BEGIN (IMMEDIATE) instead of failing when a read transaction tries to upgrade.
This follows SQLAlchemy's documented pysqlite recipe for transactional control.
"""
from __future__ import annotations

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Ids are 32-bit INTEGER columns on PostgreSQL: a larger number names nothing, and must not
# reach the driver (an out-of-range error, a 500). URL ids are also checked before any view
# (app/security.py); ids from forms and services come through `get_or_404`.
MAX_ID = 2**31 - 1


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def configure_engine_options(app: Flask) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if is_sqlite(url):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000)
        options["connect_args"] = connect_args
        options.pop("pool_pre_ping", None)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def install_sqlite_pragmas(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    from flask import current_app

    busy_ms = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, emit BEGIN (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _is_write_context() else "BEGIN")


def _is_write_context() -> bool:
    """Writes outside a request (CLI, workers, tests) and write requests lock at BEGIN."""
    if has_request_context():
        return request.method in WRITE_METHODS
    return True


def get_or_404(model, ident, message: str, options=()):
    """The row of `model` with primary key `ident`, or NotFound(message) (a 404 page or a
    JSON 404) for an unknown id, including one outside the column's range."""
    from app.errors import NotFound
    from app.extensions import db

    row = None
    if isinstance(ident, int) and 0 < ident <= MAX_ID:
        row = db.session.get(model, ident, options=list(options))
    if row is None:
        raise NotFound(message)
    return row


def commit_and_keep(session=None) -> None:
    """Commit without expiring what the session holds, when the request goes on to render
    the rows it just wrote: the values in memory are what was committed, and reloading them
    cost a new transaction and one SELECT per object."""
    from app.extensions import db

    session = session or db.session()
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous
