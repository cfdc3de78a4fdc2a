"""The tracking migration keeps every row: commitments start at progress 0 with their
milestones `not_started`, every comment keeps its owner, accounts get the updates notice on.
The previous head's rows are written by name (raw SQL); SQLite, and PostgreSQL when it is
reachable."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.consultation.test_migration import (  # noqa: F401 - a fixture
    WHEN,
    _fill_previous_schema,
    _insert_comment,
    old_app,
)

PREVIOUS_HEAD = "6d04760fcc23"  # the repository (after the consultation)


def _fill_consultation_schema() -> None:
    """On top of the plan-cycles rows: a commitment with two milestones, and a consultation
    comment with its disposition."""
    run = db.session.execute
    run(sa.text(
        "INSERT INTO commitments (id, plan_id, theme_id, number, title, problem, cause,"
        " description, contribution, ogp_values, lead_institution, partners, contact_name,"
        " contact_role, contact_email, created_at, updated_at) VALUES (1, 1, 1, 1,"
        " 'Compromiso', '', '', '', '', '[]', 'Minfin', '', '', '', '', :now, :now)"),
        {"now": WHEN})
    for milestone_id in (1, 2):
        run(sa.text("INSERT INTO milestones (id, commitment_id, position, description,"
                    " deliverable, responsible) VALUES (:id, 1, :id, :text, '', '')"),
            {"id": milestone_id, "text": f"Hito {milestone_id}"})
    _insert_comment(id=20, commitment_id=1, body="consulta", disposition="incorporated",
                    disposition_response="Se incorporó en el hito dos.")
    db.session.commit()
    db.session.close()


def _rows(sql: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.text(sql))]


def test_upgrade_keeps_commitments_milestones_comments_and_accounts(old_app):  # noqa: F811
    with old_app.app_context():
        upgrade(revision="c3a7e5d19f42")
        _fill_previous_schema()
        upgrade(revision=PREVIOUS_HEAD)
        _fill_consultation_schema()
        comments_before = _rows("SELECT id, proposal_id, commitment_id, body, disposition"
                                " FROM comments ORDER BY id")
        db.session.close()  # the migration runs on a connection of its own
        upgrade()
        assert _rows("SELECT id, proposal_id, commitment_id, body, disposition FROM comments"
                     " ORDER BY id") == comments_before
        assert _rows("SELECT count(*) FROM comments WHERE update_id IS NOT NULL") == [(0,)]
        assert _rows("SELECT id, title, progress, last_update_at FROM commitments") == [
            (1, "Compromiso", 0, None)]
        assert _rows("SELECT id, status FROM milestones ORDER BY id") == [
            (1, "not_started"), (2, "not_started")]
        assert [bool(value) for (value,) in _rows("SELECT notify_updates FROM users")] == [True]
        result = old_app.test_cli_runner().invoke(args=["counts", "check"])
        assert result.exit_code == 0, result.output


def test_a_comment_on_an_update_is_its_only_owner_and_downgrade_drops_those(
        old_app):  # noqa: F811
    with old_app.app_context():
        upgrade(revision="c3a7e5d19f42")
        _fill_previous_schema()
        upgrade(revision=PREVIOUS_HEAD)
        _fill_consultation_schema()
        upgrade()
        db.session.execute(sa.text(
            "INSERT INTO progress_updates (id, commitment_id, author_id, summary, summary_html,"
            " progress, obstacles, obstacles_html, evidence_urls, created_at) VALUES (1, 1, 1,"
            " 's', 's', 40, '', '', '[]', :now)"), {"now": WHEN})
        db.session.commit()
        for owners in ({"update_id": 1, "commitment_id": 1}, {"update_id": 1, "proposal_id": 1},
                       {}):
            with pytest.raises(sa.exc.IntegrityError):
                _insert_comment(**owners)
            db.session.rollback()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.text("UPDATE milestones SET status = 'done' WHERE id = 1"))
        db.session.rollback()
        _insert_comment(id=30, update_id=1, body="sobre el avance")
        db.session.commit()
        db.session.close()
        downgrade(revision=PREVIOUS_HEAD)
        assert [row[0] for row in _rows("SELECT id FROM comments ORDER BY id")] == [1, 2, 3, 20]
