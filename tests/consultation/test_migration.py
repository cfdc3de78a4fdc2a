"""The consultation migration keeps every comment on its proposal, and the one-pinned-answer
index stays partial (one pinned comment per proposal, any number of unpinned ones)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.models import ActionPlan, Comment, Commitment, Proposal, Theme, User
from app.models.base import utcnow
from tests.foundation.test_migrations import fresh_sqlite_app  # noqa: F401 - a fixture

PREVIOUS_HEAD = "5e8d3c1a7b90"


def _fill_previous_schema() -> list[tuple]:
    run = db.session.execute
    run(sa.insert(ActionPlan.__table__).values(id=1, slug="plan", title="Plan", period="2018"))
    run(sa.insert(Theme.__table__).values(id=1, plan_id=1, slug="t", name="Temática",
                                          description="", position=1, proposal_count=1))
    run(sa.insert(User.__table__).values(id=1, email="p@ejemplo.org", display_name="P",
                                         password_hash="x", sector="ciudadania"))
    run(sa.insert(Proposal.__table__).values(id=1, theme_id=1, author_id=1, title="Propuesta",
                                             problem="p", description="d", comment_count=3))
    old_comments = sa.table("comments", *(sa.column(name) for name in (
        "id", "proposal_id", "author_id", "body", "body_html", "alignment", "pinned", "hidden",
        "created_at")))
    for comment_id, pinned in ((1, True), (2, False), (3, False)):
        run(sa.insert(old_comments).values(id=comment_id, proposal_id=1, author_id=1,
                                           body=f"c{comment_id}", body_html="", alignment="neutral",
                                           pinned=pinned, hidden=False, created_at=utcnow()))
    db.session.commit()
    rows = _comments()
    db.session.close()  # the migration runs on a connection of its own
    return rows


def _comments() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.text(
        "SELECT id, proposal_id, author_id, body, pinned FROM comments ORDER BY id"))]


def test_upgrade_keeps_every_comment_on_its_proposal(fresh_sqlite_app):  # noqa: F811
    with fresh_sqlite_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        before = _fill_previous_schema()
        upgrade()
        assert _comments() == before
        result = fresh_sqlite_app.test_cli_runner().invoke(args=["counts", "check"])
        assert result.exit_code == 0, result.output
        assert db.session.execute(sa.text(
            "SELECT count(*) FROM comments WHERE commitment_id IS NOT NULL")).scalar() == 0
        # Still partial: a second pinned comment on the proposal is refused, unpinned are not.
        db.session.execute(sa.insert(Comment.__table__).values(
            id=4, proposal_id=1, author_id=1, body="c4", body_html="", alignment="neutral",
            pinned=False, hidden=False, created_at=utcnow()))
        db.session.commit()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.update(Comment.__table__).where(Comment.id == 2)
                               .values(pinned=True))
        db.session.rollback()


def test_a_comment_belongs_to_exactly_one_owner(fresh_sqlite_app):  # noqa: F811
    with fresh_sqlite_app.app_context():
        upgrade()
        _fill_previous_schema()
        db.session.execute(sa.insert(Commitment.__table__).values(
            id=1, plan_id=1, theme_id=1, number=1, title="Compromiso", ogp_values=[],
            created_at=utcnow(), updated_at=utcnow()))
        db.session.commit()
        values = dict(author_id=1, body="x", body_html="", alignment="neutral", pinned=False,
                      hidden=False, created_at=utcnow())
        for owners in ({"proposal_id": 1, "commitment_id": 1}, {}):
            with pytest.raises(sa.exc.IntegrityError):
                db.session.execute(sa.insert(Comment.__table__).values(**values, **owners))
            db.session.rollback()
        db.session.execute(sa.insert(Comment.__table__).values(**values, commitment_id=1))
        db.session.commit()
        downgrade(revision=PREVIOUS_HEAD)  # consultation comments go, the others stay
        assert [row[0] for row in _comments()] == [1, 2, 3]
