"""The search-vector migration (PostgreSQL): proposals written under the expression index of
the previous head are found afterwards through the stored column, none is lost, and the
API's Last-Modified gets its index (on SQLite too: tests/foundation/test_migrations.py
compares the upgraded schema with the models)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.extensions import db
from tests.migrating import migration_app

PREVIOUS_HEAD = "c8f4a1e6b2d9"  # partial comment indexes
WHEN = datetime(2018, 7, 5, 14, 0, tzinfo=UTC)
# The previous head's search index, by name: an expression, no column.
PREVIOUS_SEARCH = (
    "DROP INDEX IF EXISTS ix_proposals_search_vector",
    "ALTER TABLE proposals DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX ix_proposals_search ON proposals USING gin (to_tsvector('cocrea_es'::regconfig,"
    " coalesce(title, '') || ' ' || coalesce(problem, '') || ' ' || coalesce(description, '')))",
)


@pytest.fixture
def pg_app(tmp_path):
    with migration_app("postgresql", tmp_path, "search_vector_migration") as app:
        yield app


def _previous_head_with_proposals() -> None:
    upgrade(revision=PREVIOUS_HEAD)
    for statement in PREVIOUS_SEARCH:
        db.session.execute(text(statement))
    run = db.session.execute
    run(text("INSERT INTO users (id, email, display_name, password_hash, role, sector, active,"
             " notify_comments, notify_replies, notify_decisions, created_at) VALUES (1,"
             " 'ana@ejemplo.org', 'Ana', 'x', 'participant', 'academia', true, true, true, true,"
             " :now)"), {"now": WHEN})
    run(text("INSERT INTO action_plans (id, slug, title, period, status, intro,"
             " allow_self_support, is_current, created_at) VALUES (1, 'plan', 'Plan',"
             " '2018-2020', 'cocreation', '', false, true, :now)"), {"now": WHEN})
    run(text("INSERT INTO themes (id, plan_id, slug, name, description, position,"
             " max_open_proposals_per_user) VALUES (1, 1, 'tema', 'Tema', '', 1, 5)"))
    titles = ("Transparencia en compras públicas", "Participación juvenil",
              "Presupuesto abierto municipal")
    for number, title in enumerate(titles, start=1):
        run(text("INSERT INTO proposals (id, theme_id, author_id, title, problem, cause,"
                 " description, contribution, problem_html, cause_html, description_html,"
                 " contribution_html, ogp_values, lead_institution, partners, status, hidden,"
                 " vote_count, comment_count, created_at, updated_at) VALUES (:id, 1, 1, :title,"
                 " 'Problema', '', 'Descripción', '', '', '', '', '', '[]', '', '', 'open',"
                 " false, :id, 0, :now, :now)"), {"id": number, "title": title, "now": WHEN})
    db.session.commit()


def test_upgrade_moves_search_to_the_stored_vector_and_keeps_every_proposal(pg_app):
    with pg_app.app_context():
        _previous_head_with_proposals()
        upgrade()

        from app.proposals.queries import ProposalFilters, list_proposals

        assert db.session.scalar(text("SELECT count(*) FROM proposals")) == 3
        indexes = set(db.session.scalars(text(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'proposals'")))
        assert "ix_proposals_search_vector" in indexes and "ix_proposals_search" not in indexes
        assert "ix_proposals_updated" in indexes
        assert "ix_comments_parent" in set(db.session.scalars(text(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'comments'")))
        found = list_proposals(ProposalFilters(q="participacion"), cards=True)
        assert [card.title for card in found.items] == ["Participación juvenil"]
        # Rows written after the upgrade get their vector too.
        db.session.execute(text("UPDATE proposals SET title = 'Datos abiertos' WHERE id = 3"))
        assert list_proposals(ProposalFilters(q="datos"), cards=True).total == 1


def test_downgrade_restores_the_expression_index(pg_app):
    with pg_app.app_context():
        _previous_head_with_proposals()
        upgrade()
        downgrade(revision=PREVIOUS_HEAD)

        columns = set(db.session.scalars(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'proposals'")))
        indexes = set(db.session.scalars(text(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'proposals'")))
        assert "search_vector" not in columns and "ix_proposals_search" in indexes
        assert "ix_proposals_updated" not in indexes
        assert db.session.scalar(text("SELECT count(*) FROM proposals")) == 3
