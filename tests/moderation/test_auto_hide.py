"""Reports cannot silence content: who reports weighs, and some content is never hidden
automatically (decided proposals, sources of the plan, answers of public servants)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models.base import utcnow
from app.moderation import services
from tests.factories import (
    CommentFactory,
    EstablishedUserFactory,
    ModeratorFactory,
    ProposalFactory,
    UserFactory,
)


def _report(db, target, reporters, kind="proposal"):
    for reporter in reporters:
        services.flag_content(reporter, kind, target.id, "offensive")
    db.session.refresh(target)
    return target


def _established(n):
    return [EstablishedUserFactory() for _ in range(n)]


def test_three_fresh_accounts_cannot_hide_a_proposal(db):
    proposal = _report(db, ProposalFactory(), [UserFactory() for _ in range(3)])
    assert not proposal.hidden


def test_three_established_accounts_hide_an_open_proposal_pending_review(db):
    proposal = _report(db, ProposalFactory(), _established(3))
    assert proposal.hidden


def test_reports_of_unconfirmed_accounts_do_not_count(db):
    old = utcnow() - timedelta(days=90)
    reporters = [UserFactory(created_at=old, email_confirmed_at=None) for _ in range(5)]
    assert not _report(db, ProposalFactory(), reporters).hidden


def test_accounts_a_few_days_old_weigh_half(db):
    recent = [UserFactory(created_at=utcnow() - timedelta(days=2)) for _ in range(6)]
    proposal = _report(db, ProposalFactory(), recent[:5])
    assert not proposal.hidden  # 2.5
    assert _report(db, proposal, recent[5:]).hidden  # 3.0


@pytest.mark.parametrize("status", ["accepted", "merged", "rejected"])
def test_decided_proposals_are_never_hidden_automatically(db, status):
    proposal = _report(db, ProposalFactory(status=status), _established(5))
    assert not proposal.hidden


def test_an_accepted_proposal_stays_in_the_plan_and_its_reports_reach_the_queue(client, db):
    from app.moderation import queries
    from tests.conftest import AuthActions

    moderator = ModeratorFactory()
    proposal = ProposalFactory()
    services.decide_proposal(moderator, proposal, "accepted",
                             "Se incorpora al borrador del plan de acción.")
    _report(db, proposal, [UserFactory() for _ in range(3)] + _established(3))
    assert not proposal.hidden
    assert proposal.title in client.get("/plan").get_data(as_text=True)
    [item] = queries.flagged_items()
    assert (item.target_type, item.target_id) == ("proposal", proposal.id)
    AuthActions(client).login_as(moderator)
    assert proposal.title in client.get("/moderation").get_data(as_text=True)


def test_an_open_proposal_that_is_a_plan_source_is_not_hidden_automatically(db):
    from app.plan import services as plan

    moderator = ModeratorFactory()
    accepted = ProposalFactory()
    services.decide_proposal(moderator, accepted, "accepted",
                             "Se incorpora al borrador del plan de acción.")
    source = ProposalFactory(theme=accepted.theme)
    [commitment] = plan.commitments_of(accepted)
    plan.attach_sources(commitment, [source])
    db.session.flush()
    assert not _report(db, source, _established(4)).hidden


@pytest.mark.parametrize("role", ["public_servant", "moderator"])
def test_answers_of_public_servants_are_never_hidden_automatically(db, role):
    comment = CommentFactory(author_id=UserFactory(role=role).id)
    assert not _report(db, comment, _established(5), "comment").hidden


def test_an_ordinary_comment_is_hidden_by_established_reports(db):
    comment = CommentFactory()
    assert _report(db, comment, _established(3), "comment").hidden


def test_report_weight_follows_confirmation_and_age():
    from app.models import User

    now = utcnow()
    user = User(role="participant", email_confirmed_at=now, created_at=now)
    assert services.report_weight(user, now) == 0
    user.created_at = now - timedelta(days=2)
    assert services.report_weight(user, now) == 0.5
    user.created_at = now - timedelta(days=8)
    assert services.report_weight(user, now) == 1
    user.email_confirmed_at = None
    assert services.report_weight(user, now) == 0
