"""The consultation migration keeps every comment on its proposal, and the one-pinned-answer
index stays partial (one pinned comment per proposal, any number of unpinned ones).

The previous head's rows are written by name (raw SQL), never through today's models; runs on
SQLite, and on PostgreSQL when it is reachable."""
from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.conftest import SuiteConfig
from tests.production.conftest import port_open

PREVIOUS_HEAD = "c3a7e5d19f42"
PG_DATABASE = f"cocrea_consultation_migration_{os.getpid()}"
WHEN = datetime(2018, 7, 5, 14, 0, tzinfo=UTC)


def _sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'consultation.db'}"


def _pg_url(_tmp_path) -> str:
    if not port_open("127.0.0.1", 5432):
        pytest.skip("PostgreSQL is not reachable")
    from tests.production.pg import recreate_database

    return recreate_database(PG_DATABASE)


@pytest.fixture(params=[_sqlite_url, _pg_url], ids=["sqlite", "postgresql"])
def old_app(request, tmp_path):
    url = request.param(tmp_path)
    config = type("MigrationConfig", (SuiteConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    root_handlers, root_level = list(logging.root.handlers), logging.root.level
    loggers = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if url.startswith("postgresql"):
            from tests.production.pg import drop_database

            drop_database(PG_DATABASE)
        # Alembic's env.py reconfigures logging: give the suite its own back.
        for name, logger in logging.root.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.disabled = loggers.get(name, False)
        logging.root.handlers[:] = root_handlers
        logging.root.setLevel(root_level)


def _fill_previous_schema() -> list[tuple]:
    """A plan with a theme, a participant, a proposal and three comments (one pinned), as
    the plan-cycles schema holds them."""
    run = db.session.execute
    run(sa.text("INSERT INTO users (id, email, display_name, password_hash, role, sector,"
                " active, notify_comments, notify_replies, notify_decisions, created_at)"
                " VALUES (1, 'p@ejemplo.org', 'P', 'x', 'participant', 'ciudadania', :t, :t,"
                " :t, :t, :now)"), {"t": True, "now": WHEN})
    run(sa.text("INSERT INTO action_plans (id, slug, title, period, status, intro,"
                " allow_self_support, created_at, is_current) VALUES (1, 'plan', 'Plan',"
                " '2018-2020', 'cocreation', '', :f, :now, :t)"),
        {"f": False, "t": True, "now": WHEN})
    run(sa.text("INSERT INTO themes (id, plan_id, slug, name, description, position,"
                " proposal_count, vote_count) VALUES (1, 1, 't', 'Temática', '', 1, 1, 0)"))
    run(sa.text("INSERT INTO proposals (id, theme_id, author_id, title, problem, cause,"
                " description, contribution, problem_html, cause_html, description_html,"
                " contribution_html, ogp_values, lead_institution, partners, status,"
                " vote_count, comment_count, hidden, created_at, updated_at) VALUES (1, 1, 1,"
                " 'Propuesta', 'p', '', 'd', '', '', '', '', '', '[]', '', '', 'open', 0, 3, :f,"
                " :now, :now)"), {"f": False, "now": WHEN})
    for comment_id, pinned in ((1, True), (2, False), (3, False)):
        run(sa.text("INSERT INTO comments (id, proposal_id, author_id, body, body_html,"
                    " alignment, pinned, hidden, created_at) VALUES (:id, 1, 1, :body, '',"
                    " 'neutral', :pinned, :f, :now)"),
            {"id": comment_id, "body": f"c{comment_id}", "pinned": pinned, "f": False,
             "now": WHEN})
    db.session.commit()
    rows = _comments()
    db.session.close()  # the migration runs on a connection of its own
    return rows


def _comments() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.text(
        "SELECT id, proposal_id, author_id, body, pinned FROM comments ORDER BY id"))]


def _insert_comment(**values) -> None:
    row = {"author_id": 1, "body": "x", "body_html": "", "alignment": "neutral",
           "pinned": False, "hidden": False, "created_at": WHEN, **values}
    names = ", ".join(row)
    db.session.execute(sa.text(f"INSERT INTO comments ({names}) VALUES "  # noqa: S608 - ours
                               f"({', '.join(':' + name for name in row)})"), row)


def test_upgrade_keeps_every_comment_on_its_proposal(old_app):
    with old_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        before = _fill_previous_schema()
        upgrade()
        assert _comments() == before
        result = old_app.test_cli_runner().invoke(args=["counts", "check"])
        assert result.exit_code == 0, result.output
        assert db.session.execute(sa.text(
            "SELECT count(*) FROM comments WHERE commitment_id IS NOT NULL")).scalar() == 0
        # Still partial: a second pinned comment on the proposal is refused, unpinned are not.
        _insert_comment(id=4, proposal_id=1, body="c4")
        db.session.commit()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.text("UPDATE comments SET pinned = :t WHERE id = 2"),
                               {"t": True})
        db.session.rollback()


def test_a_comment_belongs_to_exactly_one_owner(old_app):
    with old_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        _fill_previous_schema()
        upgrade()
        db.session.execute(sa.text(
            "INSERT INTO commitments (id, plan_id, theme_id, number, title, problem, cause,"
            " description, contribution, ogp_values, lead_institution, partners, contact_name,"
            " contact_role, contact_email, created_at, updated_at) VALUES (1, 1, 1, 1,"
            " 'Compromiso', '', '', '', '', '[]', '', '', '', '', '', :now, :now)"),
            {"now": WHEN})
        db.session.commit()
        for owners in ({"proposal_id": 1, "commitment_id": 1}, {}):
            with pytest.raises(sa.exc.IntegrityError):
                _insert_comment(**owners)
            db.session.rollback()
        _insert_comment(id=10, commitment_id=1)
        db.session.commit()
        db.session.close()
        downgrade(revision=PREVIOUS_HEAD)  # consultation comments go, the others stay
        assert [row[0] for row in _comments()] == [1, 2, 3]
