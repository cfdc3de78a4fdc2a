"""`flask backup PATH` and `flask restore PATH`: consistent copies while the app runs.

SQLite uses the online backup API (a consistent snapshot, even with writers in WAL mode);
PostgreSQL uses pg_dump's custom format and pg_restore. The password travels in PGPASSWORD,
never on a command line that `ps` would show.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - fixed argument lists, no shell
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url


def register(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def _database_url() -> URL:
    from app.extensions import db

    return make_url(str(db.engine.url.render_as_string(hide_password=False)))


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _pg_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(arguments: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(arguments, check=True, env=env)  # noqa: S603 - fixed arguments, no shell
    except subprocess.CalledProcessError as error:
        raise click.ClickException(f"{Path(arguments[0]).name} failed ({error.returncode})") \
            from None


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(f"{name} is not installed (PostgreSQL client tools).")
    return path


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path: str) -> None:
    """Write a consistent copy of the database to PATH (safe while the app runs).

    The file holds emails and password hashes: it is created readable by its owner only
    (0600), whatever the umask, and replaces an existing PATH atomically.
    """
    url = _database_url()
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    previous_umask = os.umask(0o077)  # and any file the tools create on the way
    try:
        _private_file(partial)
        _write_backup(url, partial)
        os.chmod(partial, 0o600)
    finally:
        os.umask(previous_umask)
    partial.replace(target)  # a half-written file never has the final name
    click.echo(f"Backup written to {target}")


def _private_file(path: Path) -> None:
    """An empty file at `path` that only its owner may read or write."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)  # O_CREAT does not change the mode of a file that existed


def _write_backup(url: URL, partial: Path) -> None:
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        uri, env = _pg_target(url)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial),
              "--dbname", uri], env)
    else:
        raise click.ClickException(f"Unsupported database: {url.get_backend_name()}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def restore_command(path: str) -> None:
    """Replace the database's contents with the backup in PATH."""
    from app.extensions import db

    url = _database_url()
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps the old contents open
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise click.ClickException("The backup file is damaged; nothing was restored.")
            destination = sqlite3.connect(_sqlite_path(url))
            try:
                source.backup(destination)
            finally:
                destination.close()
        except sqlite3.DatabaseError as error:
            raise click.ClickException(f"Not a SQLite backup: {error}") from None
        finally:
            source.close()
    elif url.get_backend_name() == "postgresql":
        uri, env = _pg_target(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", uri, str(path)], env)
    else:
        raise click.ClickException(f"Unsupported database: {url.get_backend_name()}")
    click.echo(f"Database restored from {path}")
