"""`flask demo` adds supports and a Spanish conversation with an institutional answer."""
from __future__ import annotations

from sqlalchemy import select

from app.cli.counts import find_drift
from app.cli.demo import add_demo_users
from app.datasets.demo_comments import add_demo_content
from app.models import Comment, Proposal, Theme
from tests.factories import ProposalFactory


def test_demo_content_is_counted_exactly_and_idempotent(seeded):
    db = seeded
    add_demo_users()
    theme = db.session.scalars(select(Theme)).first()
    ProposalFactory.create_batch(4, theme=theme)
    add_demo_content()
    comments = db.session.scalars(select(Comment)).all()
    assert any(c.author.is_public_servant and c.parent_id is None for c in comments)
    assert any(c.parent_id is not None for c in comments)
    assert sum(p.vote_count for p in db.session.scalars(select(Proposal))) > 0
    assert find_drift() == []
    before = [(p.vote_count, p.comment_count) for p in db.session.scalars(select(Proposal))]
    add_demo_content()
    after = [(p.vote_count, p.comment_count) for p in db.session.scalars(select(Proposal))]
    assert before == after
