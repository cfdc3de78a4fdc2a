"""Migrations on deploy: base -> head step by step, data in, down to base, up again (PostgreSQL)."""
from __future__ import annotations

import logging
import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from app import create_app
from app.extensions import db
from tests.conftest import SuiteConfig
from tests.production.conftest import needs_postgres
from tests.production.pg import drop_database, recreate_database

DATABASE = f"cocrea_production_migrations_{os.getpid()}"
pytestmark = needs_postgres


@pytest.fixture
def pg_app():
    url = recreate_database(DATABASE)
    config = type("MigrationConfig", (SuiteConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    disabled = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
                if isinstance(logger, logging.Logger)}
    root_handlers, root_level = list(logging.root.handlers), logging.root.level
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop_database(DATABASE)
        # Alembic's env.py reconfigures logging from alembic.ini: put the suite's back.
        for name, logger in logging.root.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.disabled = disabled.get(name, False)
        logging.root.handlers[:] = root_handlers
        logging.root.setLevel(root_level)


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def _revisions(app) -> list[str]:
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_migrations_go_up_and_down_with_data_present(pg_app):
    from app.cli.reference import seed_reference_data
    from app.models import Proposal, Theme, User
    from tests.factories import ProposalFactory

    with pg_app.app_context():
        revisions = _revisions(pg_app)
        assert revisions, "no migrations found"
        for revision in revisions:  # one step at a time, as successive deploys would
            upgrade(revision=revision)
        assert {"users", "proposals", "votes", "themes"} <= _tables()

        seed_reference_data()
        theme = db.session.scalars(select(Theme).limit(1)).one()
        ProposalFactory(theme=theme)
        db.session.commit()
        assert db.session.scalar(select(func.count(Proposal.id))) == 1

        db.session.remove()
        downgrade(revision="base")
        assert _tables() == set()

        upgrade(revision="head")
        assert {"users", "proposals", "votes", "themes"} <= _tables()
        assert db.session.scalar(select(func.count(User.id))) == 0
        db.session.remove()
