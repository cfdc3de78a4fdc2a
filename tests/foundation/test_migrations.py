"""Migrations and models agree: `flask db upgrade` builds exactly the schema the code uses."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine

from app import create_app
from app.extensions import db
from app.models.search_schema import alembic_include_name
from tests.conftest import SuiteConfig


@pytest.fixture
def fresh_sqlite_app(tmp_path):
    class MigrationConfig(SuiteConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrated.db'}"

    return create_app(MigrationConfig)


def _diff(app) -> list:
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": alembic_include_name,
        })
        diff = compare_metadata(context, db.metadata)
    engine.dispose()
    return diff


def test_upgrade_to_head_matches_the_models(fresh_sqlite_app):
    with fresh_sqlite_app.app_context():
        upgrade()
        assert _diff(fresh_sqlite_app) == []


def test_downgrade_to_base_and_up_again(fresh_sqlite_app):
    with fresh_sqlite_app.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
        assert _diff(fresh_sqlite_app) == []


def test_migrated_database_can_search(fresh_sqlite_app):
    from sqlalchemy import text

    with fresh_sqlite_app.app_context():
        upgrade()
        tables = {row[0] for row in db.session.execute(
            text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"))}
        assert any(name.startswith("proposals_fts") for name in tables)
