"""The exact-counters migration keeps every row and sets each counter from the rows."""
from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import upgrade

from app.extensions import db
from app.models import ActionPlan, Comment, Proposal, Vote
from app.models.base import utcnow
from tests.foundation.test_migrations import fresh_sqlite_app  # noqa: F401 - a fixture

PREVIOUS_HEAD = "9b1c4e7d2a10"
# The themes table as the previous head knows it (no stored totals yet).
OLD_THEMES = sa.table("themes", sa.column("id"), sa.column("plan_id"), sa.column("slug"),
                      sa.column("name"), sa.column("description"), sa.column("position"),
                      sa.column("max_open_proposals_per_user"))

# The users table as the previous head knows it (later migrations add columns).
OLD_USERS = sa.table("users", *(sa.column(name) for name in (
    "id", "email", "display_name", "password_hash", "sector", "role", "active", "session_token",
    "notify_comments", "notify_replies", "notify_decisions", "created_at")))

def _fill_previous_schema() -> dict:
    run = db.session.execute
    run(sa.insert(ActionPlan.__table__).values(id=1, slug="plan", title="Plan", period="2018"))
    for theme_id in (1, 2):
        run(sa.insert(OLD_THEMES).values(id=theme_id, plan_id=1, slug=f"t{theme_id}",
                                         name=f"Temática {theme_id}", description="",
                                         position=theme_id, max_open_proposals_per_user=5))
    for user_id in range(1, 5):
        run(sa.insert(OLD_USERS).values(
            id=user_id, email=f"p{user_id}@ejemplo.org", display_name=f"P{user_id}",
            password_hash="x", sector="ciudadania", role="participant", active=True,
            session_token=f"t{user_id}", notify_comments=True, notify_replies=True,
            notify_decisions=True, created_at=utcnow()))
    # Stored counts as the previous rule kept them: hidden comments counted.
    stored = ((1, 1, False, 3, 3), (2, 1, True, 1, 0), (3, 1, False, 0, 1), (4, 2, False, 0, 0))
    for proposal_id, theme_id, hidden, votes, comments in stored:
        run(sa.insert(Proposal.__table__).values(
            id=proposal_id, theme_id=theme_id, author_id=4, title=f"Propuesta {proposal_id}",
            problem="p", description="d", hidden=hidden, vote_count=votes,
            comment_count=comments))
    for user_id in (1, 2, 3):
        run(sa.insert(Vote.__table__).values(user_id=user_id, proposal_id=1, theme_id=1))
    run(sa.insert(Vote.__table__).values(user_id=1, proposal_id=2, theme_id=1))
    for comment_id, proposal_id, hidden, deleted in ((1, 1, False, False), (2, 1, True, False),
                                                    (3, 1, False, False), (4, 3, False, True),
                                                    (5, 3, True, False)):
        run(sa.insert(Comment.__table__).values(
            id=comment_id, proposal_id=proposal_id, author_id=1, body="c",
            hidden=hidden, deleted_at=utcnow() if deleted else None))
    db.session.commit()
    counts = _row_counts()
    db.session.close()  # the migration runs on a connection of its own
    return counts


def _row_counts() -> dict[str, int]:
    return {table: db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(table)))
            for table in ("users", "themes", "proposals", "votes", "comments")}


def test_upgrade_keeps_every_row_and_counts_only_what_the_public_reads(fresh_sqlite_app):  # noqa: F811
    with fresh_sqlite_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        before = _fill_previous_schema()
        upgrade()
        assert _row_counts() == before
        comments = {row[0]: row[1] for row in db.session.execute(
            sa.select(Proposal.id, Proposal.comment_count))}
        assert comments == {1: 2, 2: 0, 3: 0, 4: 0}  # hidden and deleted ones left out
        themes = {row[0]: tuple(row[1:]) for row in db.session.execute(sa.text(
            "SELECT id, proposal_count, vote_count FROM themes ORDER BY id"))}
        assert themes == {1: (2, 3), 2: (1, 0)}  # the hidden proposal and its support left out
        result = fresh_sqlite_app.test_cli_runner().invoke(args=["counts", "check"])
        assert result.exit_code == 0, result.output
