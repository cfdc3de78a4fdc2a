"""`flask backup` while writes happen, `flask restore` into a fresh database: nothing lost.

Uses its own databases (real commits from threads), never the suite's savepoint.
"""
from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.models import User
from tests.conftest import SuiteConfig, database_url

pytestmark = pytest.mark.slow


def _fresh_databases(tmp_path):
    """Two empty databases (source, target) of the suite's kind; a cleanup function."""
    url = make_url(database_url())
    if url.get_backend_name() == "sqlite":
        return (f"sqlite:///{tmp_path / 'source.db'}", f"sqlite:///{tmp_path / 'target.db'}",
                lambda: None)
    suffix = uuid.uuid4().hex[:8]
    names = [f"{url.database}_bk_src_{suffix}", f"{url.database}_bk_dst_{suffix}"]
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))

    def cleanup():
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    rendered = [url.set(database=name).render_as_string(hide_password=False) for name in names]
    return rendered[0], rendered[1], cleanup


def _app_for(uri: str):
    class Config(SuiteConfig):
        SQLALCHEMY_DATABASE_URI = uri

    return create_app(Config)


def _add_user(n: int) -> None:
    db.session.add(User(email=f"fila{n}@ejemplo.org", display_name=f"Fila {n}",
                        password_hash="x", sector="academia"))
    db.session.commit()


def test_backup_during_writes_then_restore_keeps_every_committed_row(tmp_path):
    source_uri, target_uri, cleanup = _fresh_databases(tmp_path)
    backup_file = tmp_path / "cocrea.backup"
    try:
        source = _app_for(source_uri)
        with source.app_context():
            db.create_all()
            for n in range(50):
                _add_user(n)
        committed: list[int] = list(range(50))
        stop = threading.Event()

        def writer():
            n = 50
            with source.app_context():
                while not stop.is_set() and n < 2000:
                    _add_user(n)
                    committed.append(n)
                    n += 1
                db.session.remove()

        thread = threading.Thread(target=writer)
        thread.start()
        while len(committed) < 80:  # writes are under way
            threading.Event().wait(0.01)
        before_backup = set(committed)
        result = source.test_cli_runner().invoke(args=["backup", str(backup_file)])
        stop.set()
        thread.join()
        assert result.exit_code == 0, result.output
        assert backup_file.exists() and not Path(str(backup_file) + ".partial").exists()

        target = _app_for(target_uri)
        result = target.test_cli_runner().invoke(args=["restore", str(backup_file)])
        assert result.exit_code == 0, result.output
        with target.app_context():
            restored = {int(email.removeprefix("fila").split("@")[0]) for email in
                        db.session.scalars(select(User.email))}
            db.session.remove()
            db.engine.dispose()
        with source.app_context():
            db.engine.dispose()
        assert before_backup <= restored  # every row committed before the backup
        assert restored <= set(committed)  # and nothing that never was
        assert restored == set(range(len(restored)))  # a consistent prefix, no holes
    finally:
        cleanup()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    if make_url(database_url()).get_backend_name() != "sqlite":
        pytest.skip("SQLite check; pg_restore refuses on its own")
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(os.urandom(4096))
    app = _app_for(f"sqlite:///{tmp_path / 'x.db'}")
    result = app.test_cli_runner().invoke(args=["restore", str(bogus)])
    assert result.exit_code != 0


def test_backup_file_is_readable_by_its_owner_only(tmp_path):
    """It holds emails and password hashes: 0600 whatever the umask or an older file's mode."""
    import stat

    source_uri, _target_uri, cleanup = _fresh_databases(tmp_path)
    backup_file = tmp_path / "cocrea.backup"
    backup_file.write_bytes(b"old")
    backup_file.chmod(0o644)
    previous = os.umask(0o022)
    try:
        source = _app_for(source_uri)
        with source.app_context():
            db.create_all()
            _add_user(1)
            db.session.remove()
            result = source.test_cli_runner().invoke(args=["backup", str(backup_file)])
            db.engine.dispose()
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
        assert backup_file.read_bytes() != b"old"
    finally:
        os.umask(previous)
        cleanup()
