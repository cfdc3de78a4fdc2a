"""Reports are rate-limited: strict per account, generous per address (a mesa room shares one)."""
from __future__ import annotations

from app.extensions import db as _db
from app.models import Flag
from tests.conftest import AuthActions
from tests.factories import CommentFactory, ProposalFactory, UserFactory


def _flag(client, url):
    return client.post(url, data={"reason": "spam", "details": "Publicidad"})


def test_one_account_may_send_ten_reports_a_minute(limited_client, world):
    flagger = UserFactory()
    AuthActions(limited_client).login_as(flagger)
    proposals = [ProposalFactory(theme=world.theme) for _ in range(6)]
    comments = [CommentFactory(proposal_id=world.proposal.id) for _ in range(5)]
    urls = ([f"/proposals/{p.id}/flag" for p in proposals]
            + [f"/comments/{c.id}/flag" for c in comments])
    statuses = [_flag(limited_client, url).status_code for url in urls]
    # Proposal and comment reports share the one per-account budget.
    assert statuses == [303] * 10 + [429]
    assert len(_db.session.scalars(_db.select(Flag).where(Flag.user_id == flagger.id)).all()) == 10

    other = UserFactory()  # same address, another account: the per-IP limit is generous
    limited_client.post("/auth/logout")
    AuthActions(limited_client).login_as(other)
    assert _flag(limited_client, urls[-1]).status_code == 303
