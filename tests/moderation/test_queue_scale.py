"""The moderation queue costs the same whatever the amount of content: a constant number of
queries, and totals from the stored counters that match a plain count over every proposal."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Flag, Proposal
from app.models.proposal import PROPOSAL_STATUSES
from app.moderation import queries
from tests.bench.test_query_counts import queries_for
from tests.factories import (
    CommentFactory,
    ModeratorFactory,
    PlanFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
)


def _content(theme, count: int) -> None:
    """`count` of each: reported proposals and comments, hidden ones, blocked accounts."""
    from app.moderation import services

    moderator = ModeratorFactory()
    for n in range(count):
        proposal = ProposalFactory(theme=theme, vote_count=n)
        comment = CommentFactory(proposal_id=proposal.id)
        for target_type, target_id in (("proposal", proposal.id), ("comment", comment.id)):
            _db.session.add(Flag(target_type=target_type, target_id=target_id,
                                 user_id=UserFactory().id, reason="spam", details="Publicidad"))
        ProposalFactory(theme=theme, hidden=True, hidden_reason="Spam")
        CommentFactory(proposal_id=proposal.id, hidden=True, hidden_reason="Spam")
        services.block_user(moderator, UserFactory(), "Publicidad repetida")
    _db.session.flush()


@pytest.mark.parametrize("query", ["", "?status=accepted", "?status=open&page=2"])
def test_queue_costs_the_same_number_of_queries_with_ten_times_the_content(
        client, auth, db, theme, query):
    _content(theme, 2)
    auth.login_as(ModeratorFactory(role="admin"))
    few = queries_for(client, f"/moderation{query}")
    _content(theme, 20)
    assert queries_for(client, f"/moderation{query}") == few


def test_queue_shows_accounts_blocked_through_the_moderation(client, auth, db, theme):
    _content(theme, 1)
    auth.login_as(ModeratorFactory())
    html = client.get("/moderation").get_data(as_text=True)
    assert "Motivo: Publicidad repetida" in html


def _plain_count(status, theme_id=None, plan_id=None) -> int:
    """The rule read literally, in Python, over every proposal row."""
    wanted = queries.AWAITING if status is None else (status,)
    return sum(1 for p in _db.session.scalars(select(Proposal))
               if not p.hidden and p.status in wanted
               and theme_id in (None, p.theme_id) and plan_id in (None, p.theme.plan_id))


@pytest.mark.parametrize("seed", [1, 2])
def test_proposal_totals_match_a_plain_count_over_every_proposal(db, seed):
    rng = random.Random(seed)
    other_plan = PlanFactory(slug="anterior", is_current=False)
    themes = [ThemeFactory(), ThemeFactory(), ThemeFactory(plan=other_plan)]
    for _ in range(40):
        ProposalFactory(theme=rng.choice(themes), status=rng.choice(PROPOSAL_STATUSES),
                        hidden=rng.random() < 0.2)
    for status in (None, *PROPOSAL_STATUSES):
        assert queries.count_proposals(status) == _plain_count(status)
        for theme in themes:
            assert (queries.count_proposals(status, theme_id=theme.id)
                    == _plain_count(status, theme_id=theme.id))
        for plan_id in {theme.plan_id for theme in themes}:
            assert (queries.count_proposals(status, plan_id=plan_id)
                    == _plain_count(status, plan_id=plan_id))
