"""`flask counts check` audits every stored counter and `--fix` repairs what drifted."""
from __future__ import annotations

from sqlalchemy import update

from app.extensions import db as _db
from app.models import Comment, Mesa, Proposal, Theme
from tests.factories import CommentFactory, MesaFactory, ProposalFactory


def test_counts_check_finds_drift_in_every_counter_and_fix_repairs_it(db, runner):
    proposal = ProposalFactory(vote_count=0)
    comment = CommentFactory(proposal_id=proposal.id)
    mesa = MesaFactory(capacity=10)
    assert runner.invoke(args=["counts", "check"]).exit_code == 0
    # Drift written behind the services' back, one per counter.
    _db.session.execute(update(Comment).where(Comment.id == comment.id).values(hidden=True))
    _db.session.execute(update(Theme).where(Theme.id == proposal.theme_id)
                        .values(proposal_count=5))
    _db.session.execute(update(Mesa).where(Mesa.id == mesa.id).values(seats_taken=3))
    _db.session.execute(update(Proposal).where(Proposal.id == proposal.id).values(vote_count=2))
    result = runner.invoke(args=["counts", "check"])
    assert result.exit_code == 1
    for line in (f"proposal {proposal.id}: vote_count stored 2, actual 0",
                 f"proposal {proposal.id}: comment_count stored 1, actual 0",
                 f"theme {proposal.theme_id}: proposal_count stored 5, actual 1",
                 f"theme {proposal.theme_id}: vote_count stored 0, actual 2",
                 f"mesa {mesa.id}: seats_taken stored 3, actual 0"):
        assert line in result.output
    result = runner.invoke(args=["counts", "check", "--fix"])
    assert result.exit_code == 0, result.output
    assert "5 drifted value(s) repaired" in result.output
    assert runner.invoke(args=["counts", "check"]).exit_code == 0
    theme = _db.session.get(Theme, proposal.theme_id)
    assert (theme.proposal_count, theme.vote_count) == (1, 0)
