"""The index-only migrations of 2026-11-30 keep every row: the decisions-feed index
(b5e2c8d14a70), the partial comment-owner indexes (c8f4a1e6b2d9), the status and
document-date indexes (a4d9e2f7c135) and the trail's indexes (e7c3b58a9d21). Rows of the
previous head are written by name (raw SQL), through a plain connection."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.migrating import on_both_databases

PREVIOUS_HEAD = "d7b3e9a41c58"  # implementation tracking
WHEN = datetime(2018, 7, 5, 14, 0, tzinfo=UTC)

old_app = on_both_databases("index_migrations")


def _fill_previous_schema() -> None:
    with db.engine.begin() as connection:  # a plain connection: no session hooks
        _insert(connection.execute)


def _insert(run) -> None:
    run(sa.text("INSERT INTO users (id, email, display_name, password_hash, role, sector,"
                " active, notify_comments, notify_replies, notify_decisions, created_at)"
                " VALUES (1, 'p@ejemplo.org', 'P', 'x', 'participant', 'ciudadania', :t, :t,"
                " :t, :t, :now)"), {"t": True, "now": WHEN})
    run(sa.text("INSERT INTO action_plans (id, slug, title, period, status, intro,"
                " allow_self_support, created_at, is_current) VALUES (1, 'plan', 'Plan',"
                " '2018-2020', 'cocreation', '', :f, :now, :t)"),
        {"f": False, "t": True, "now": WHEN})
    run(sa.text("INSERT INTO themes (id, plan_id, slug, name, description, position)"
                " VALUES (1, 1, 'agua', 'Agua', '', 1)"))
    for number, status in enumerate(("open", "accepted", "rejected"), start=1):
        decided = WHEN + timedelta(days=number) if status != "open" else None
        run(sa.text(
            "INSERT INTO proposals (id, theme_id, author_id, title, problem, problem_html,"
            " cause, cause_html, description, description_html, contribution,"
            " contribution_html, ogp_values, lead_institution, partners, status, hidden,"
            " vote_count, comment_count, created_at, updated_at, decided_at) VALUES (:id, 1, 1,"
            " :title, '', '', '', '', '', '', '', '', '[]', '', '', :status, :f, 0, 0, :now,"
            " :now, :decided)"),
            {"id": number, "title": f"Propuesta {number}", "status": status, "f": False,
             "now": WHEN, "decided": decided})
    for number in (1, 2):
        run(sa.text("INSERT INTO comments (id, proposal_id, author_id, body, body_html,"
                    " alignment, pinned, hidden, created_at) VALUES (:id, 2, 1, :body, '',"
                    " 'neutral', :f, :f, :now)"),
            {"id": number, "body": f"Comentario {number}", "f": False, "now": WHEN})


def _proposals() -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(
            "SELECT id, title, status, decided_at IS NULL FROM proposals ORDER BY id"))]


def test_upgrade_keeps_every_proposal_and_its_decision_and_adds_the_index(old_app):
    with old_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        _fill_previous_schema()
        before = _proposals()
        upgrade(revision="b5e2c8d14a70")
        assert _proposals() == before
        indexes = {index["name"] for index in sa.inspect(db.engine).get_indexes("proposals")}
        assert "ix_proposals_decided" in indexes
        downgrade(revision=PREVIOUS_HEAD)
        assert _proposals() == before
        indexes = {index["name"] for index in sa.inspect(db.engine).get_indexes("proposals")}
        assert "ix_proposals_decided" not in indexes


def _comments() -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(
            "SELECT id, proposal_id, commitment_id, update_id, body FROM comments ORDER BY id"))]


def _index_is_partial(name: str) -> bool:
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            sql = connection.execute(sa.text(
                "SELECT sql FROM sqlite_master WHERE name = :name"), {"name": name}).scalar()
        else:
            sql = connection.execute(sa.text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                {"name": name}).scalar()
    return "WHERE" in (sql or "").upper()


def test_owner_indexes_become_partial_and_every_comment_stays(old_app):
    with old_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        _fill_previous_schema()
        upgrade(revision="b5e2c8d14a70")
        before = _comments()
        assert not _index_is_partial("ix_comments_commitment_created")
        upgrade(revision="c8f4a1e6b2d9")
        assert _comments() == before
        assert _index_is_partial("ix_comments_commitment_created")
        assert _index_is_partial("ix_comments_update_created")
        downgrade(revision="b5e2c8d14a70")
        assert _comments() == before
        assert not _index_is_partial("ix_comments_update_created")


def _documents() -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(
            "SELECT id, title, withdrawn_at IS NULL FROM documents ORDER BY id"))]


def _indexes(table: str) -> set[str]:
    return {index["name"] for index in sa.inspect(db.engine).get_indexes(table)}


def test_status_and_document_date_indexes_keep_every_proposal_and_document(old_app):
    with old_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        _fill_previous_schema()
        upgrade(revision="57e85f8c525f")  # the search vector, the head before these indexes
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO documents (id, plan_id, title, type, document_date,"
                " original_filename, stored_name, size, content_type, sha256, uploaded_by_id,"
                " created_at) VALUES (1, 1, 'Acta de la mesa 1', 'minutes', :day, 'acta.pdf',"
                " 'acta.pdf', 10, 'application/pdf', :sha, 1, :now)"),
                {"sha": "0" * 64, "now": WHEN, "day": WHEN.date()})
        proposals, documents = _proposals(), _documents()
        upgrade(revision="a4d9e2f7c135")
        assert _proposals() == proposals and _documents() == documents
        assert "ix_proposals_status" in _indexes("proposals")
        assert "ix_documents_created" in _indexes("documents")
        upgrade(revision="e7c3b58a9d21")  # the trail's indexes
        assert _proposals() == proposals and _documents() == documents
        assert {"ix_documents_mesa_date", "ix_documents_commitment_date",
                "ix_documents_type_date"} <= _indexes("documents")
        assert _index_is_partial("ix_proposals_merged_into")
        downgrade(revision="57e85f8c525f")
        assert _proposals() == proposals and _documents() == documents
        assert "ix_proposals_status" not in _indexes("proposals")
        assert "ix_documents_mesa_date" not in _indexes("documents")
