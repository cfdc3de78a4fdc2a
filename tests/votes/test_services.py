"""The rules of supports live in toggle_support; the counter changes only with a row."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.errors import Conflict, Forbidden
from app.models import Vote
from app.models.base import utcnow
from app.votes.services import toggle_support
from tests.factories import ProposalFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.usefixtures("request_context")


def _rows(db, proposal):
    return db.session.scalar(select(func.count()).select_from(Vote)
                             .where(Vote.proposal_id == proposal.id))


def test_participant_supports_and_withdraws_with_exact_count(db, proposal, participant):
    assert toggle_support(participant, proposal) is True
    assert proposal.vote_count == 1 == _rows(db, proposal)
    assert toggle_support(participant, proposal) is False
    assert proposal.vote_count == 0 == _rows(db, proposal)


def test_participant_cannot_support_twice(db, proposal, participant):
    assert toggle_support(participant, proposal, "support") is True
    assert toggle_support(participant, proposal, "support") is True
    assert proposal.vote_count == 1 == _rows(db, proposal)
    assert toggle_support(participant, proposal, "withdraw") is False
    assert toggle_support(participant, proposal, "withdraw") is False
    assert proposal.vote_count == 0 == _rows(db, proposal)


def test_count_reflects_other_supporters(db, proposal):
    for user in UserFactory.create_batch(3):
        toggle_support(user, proposal)
    assert proposal.vote_count == 3 == _rows(db, proposal)


@pytest.mark.parametrize("status", ["under_review", "accepted", "merged", "rejected"])
def test_only_open_proposals_accept_supports(db, participant, status):
    proposal = ProposalFactory(status=status)
    with pytest.raises(Conflict):
        toggle_support(participant, proposal)
    assert _rows(db, proposal) == 0


def test_hidden_proposals_accept_no_supports(db, participant):
    proposal = ProposalFactory(hidden=True, hidden_reason="spam")
    with pytest.raises(Conflict):
        toggle_support(participant, proposal)


@pytest.mark.parametrize("opens, closes, expected", [
    (timedelta(days=1), timedelta(days=5), "abre el"),
    (timedelta(days=-5), timedelta(days=-1), "ya cerró"),
])
def test_supports_only_within_the_theme_voting_window(db, participant, opens, closes, expected):
    now = utcnow()
    theme = ThemeFactory(voting_open_at=now + opens, voting_close_at=now + closes)
    proposal = ProposalFactory(theme=theme)
    with pytest.raises(Conflict, match=expected):
        toggle_support(participant, proposal)


def test_blocked_or_inactive_accounts_cannot_support(db, proposal):
    with pytest.raises(Forbidden):
        toggle_support(UserFactory(blocked_reason="spam"), proposal)
    with pytest.raises(Forbidden):
        toggle_support(UserFactory(active=False), proposal)


def test_unconfirmed_account_cannot_support_when_confirmation_is_required(app, db, proposal,
                                                                          monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_EMAIL_CONFIRMATION", True)
    with pytest.raises(Forbidden, match="Confirme"):
        toggle_support(UserFactory(email_confirmed_at=None), proposal)


def test_author_cannot_support_own_proposal_by_default(db, proposal):
    with pytest.raises(Forbidden):
        toggle_support(proposal.author, proposal)


def test_author_may_support_own_proposal_when_the_plan_allows_it(db, proposal):
    proposal.theme.plan.allow_self_support = True
    assert toggle_support(proposal.author, proposal) is True


def test_per_theme_limit_of_supports(db, participant):
    theme = ThemeFactory(max_supports_per_user=2)
    first, second, third = ProposalFactory.create_batch(3, theme=theme)
    toggle_support(participant, first)
    toggle_support(participant, second)
    with pytest.raises(Conflict, match="2 apoyos"):
        toggle_support(participant, third)
    assert third.vote_count == 0
    toggle_support(participant, first)  # withdrawing frees one
    assert toggle_support(participant, third) is True
    # Another theme is not limited by this one.
    assert toggle_support(participant, ProposalFactory()) is True


def test_counts_check_reports_drift_and_repair_fixes_it(db, runner, proposal, participant):
    toggle_support(participant, proposal)
    db.session.flush()
    assert runner.invoke(args=["counts", "check"]).exit_code == 0
    proposal.vote_count = 7
    proposal.comment_count = 3
    db.session.flush()
    result = runner.invoke(args=["counts", "check"])
    assert result.exit_code == 1
    assert f"proposal {proposal.id}: vote_count stored 7, actual 1" in result.output
    assert f"proposal {proposal.id}: comment_count stored 3, actual 0" in result.output
    result = runner.invoke(args=["counts", "repair"])
    assert result.exit_code == 0, result.output
    db.session.refresh(proposal)
    assert (proposal.vote_count, proposal.comment_count) == (1, 0)
    assert runner.invoke(args=["counts", "check"]).exit_code == 0


@pytest.mark.parametrize("outcome", ["hidden", "rejected", "merged", "under_review"])
def test_supports_that_can_no_longer_be_withdrawn_free_the_theme_limit(db, participant, outcome):
    from app.moderation.services import decide_proposal, hide_content
    from tests.factories import ModeratorFactory

    theme = ThemeFactory(max_supports_per_user=2)
    first, second, third, target = ProposalFactory.create_batch(4, theme=theme)
    toggle_support(participant, first)
    toggle_support(participant, second)
    with pytest.raises(Conflict, match="2 apoyos"):
        toggle_support(participant, third)
    moderator = ModeratorFactory()
    if outcome == "hidden":
        hide_content(moderator, "proposal", first.id, "Contenido duplicado.")
    else:
        decide_proposal(moderator, first, outcome, "Respuesta razonada de la mesa técnica.",
                        merge_into=target.id if outcome == "merged" else None)
    with pytest.raises(Conflict):  # it stays, and cannot be withdrawn any more
        toggle_support(participant, first)
    assert toggle_support(participant, third) is True
    assert first.vote_count == 1


def test_the_support_button_says_why_it_is_disabled_at_the_limit(app, db, participant):
    from app.votes.services import support_refusal

    theme = ThemeFactory(max_supports_per_user=1)
    given, other = ProposalFactory.create_batch(2, theme=theme)
    toggle_support(participant, given)
    assert support_refusal(participant, given, supported=True) is None  # may withdraw
    assert "1 apoyos" in support_refusal(participant, other, supported=False)
