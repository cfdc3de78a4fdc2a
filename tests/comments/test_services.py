"""Comment rules: one level of replies, 15-minute edits, soft delete, one official answer."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.comments import services
from app.errors import Conflict, Forbidden, InvalidInput
from app.models import Comment
from tests.factories import ModeratorFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.usefixtures("request_context")


def _rows(db, proposal):
    return db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.proposal_id == proposal.id, Comment.deleted_at.is_(None)))


def test_participant_comments_and_the_count_follows(db, proposal, participant):
    comment = services.post_comment(participant, proposal, "  **Muy** buena idea  ",
                                    alignment="in_favor")
    assert comment.body == "**Muy** buena idea"
    assert "<strong>Muy</strong>" in comment.body_html
    assert comment.alignment == "in_favor"
    assert proposal.comment_count == 1 == _rows(db, proposal)


def test_markup_in_comments_is_sanitized(db, proposal, participant):
    comment = services.post_comment(participant, proposal,
                                    "<script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script" not in comment.body_html
    assert 'href="javascript' not in comment.body_html


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_empty_or_huge_comments_are_refused(db, proposal, participant, body):
    with pytest.raises(InvalidInput):
        services.post_comment(participant, proposal, body)
    assert proposal.comment_count == 0


def test_unknown_alignment_is_refused(db, proposal, participant):
    with pytest.raises(InvalidInput):
        services.post_comment(participant, proposal, "Hola", alignment="maybe")


@pytest.mark.parametrize("parent_id", ["abc", "999999"])
def test_reply_to_an_unknown_comment_is_refused(db, proposal, participant, parent_id):
    with pytest.raises(InvalidInput):
        services.post_comment(participant, proposal, "Hola", parent_id=parent_id)


def test_reply_to_a_comment_of_another_proposal_is_refused(db, proposal, participant):
    other = services.post_comment(participant, ProposalFactory(), "Hola")
    with pytest.raises(InvalidInput):
        services.post_comment(participant, proposal, "Hola", parent_id=other.id)


def test_replies_stay_one_level_deep(db, proposal, participant):
    top = services.post_comment(participant, proposal, "Pregunta")
    reply = services.post_comment(UserFactory(), proposal, "Respuesta", parent_id=top.id)
    again = services.post_comment(participant, proposal, "Réplica", parent_id=str(reply.id))
    assert reply.parent_id == top.id
    assert again.parent_id == top.id
    thread = services.thread(proposal)
    assert [item.comment.id for item in thread] == [top.id]
    assert [c.id for c in thread[0].replies] == [reply.id, again.id]
    assert proposal.comment_count == 3


@pytest.mark.parametrize("status", ["under_review", "accepted", "merged", "rejected"])
def test_comments_are_closed_when_the_proposal_is_no_longer_open(db, participant, status):
    proposal = ProposalFactory(status=status)
    with pytest.raises(Conflict, match="cerrados"):
        services.post_comment(participant, proposal, "Hola")


def test_blocked_accounts_cannot_comment(db, proposal):
    with pytest.raises(Forbidden):
        services.post_comment(UserFactory(blocked_reason="abuso"), proposal, "Hola")


def test_author_edits_within_15_minutes_only(db, proposal, participant):
    comment = services.post_comment(participant, proposal, "Primer texto")
    services.edit_comment(participant, comment, "Texto corregido")
    assert comment.body == "Texto corregido" and comment.edited_at is not None
    with pytest.raises(Forbidden):
        services.edit_comment(UserFactory(), comment, "Ajeno")
    comment.created_at -= timedelta(minutes=16)
    with pytest.raises(Forbidden):
        services.edit_comment(participant, comment, "Tarde")


def test_soft_delete_keeps_a_placeholder_and_uncounts_once(db, proposal, participant):
    comment = services.post_comment(participant, proposal, "Me equivoqué")
    reply = services.post_comment(UserFactory(), proposal, "Respuesta", parent_id=comment.id)
    with pytest.raises(Forbidden):
        services.delete_comment(UserFactory(), comment)
    services.delete_comment(participant, comment)
    assert comment.deleted_at is not None
    assert proposal.comment_count == 1 == _rows(db, proposal)
    with pytest.raises(Forbidden):
        services.delete_comment(participant, comment)  # already deleted
    assert proposal.comment_count == 1
    assert [c.id for c in services.thread(proposal)[0].replies] == [reply.id]


def test_moderators_pin_one_official_answer(db, proposal, participant):
    first = services.post_comment(participant, proposal, "Uno")
    second = services.post_comment(UserFactory(role="public_servant"), proposal, "Dos")
    moderator = ModeratorFactory()
    with pytest.raises(Forbidden):
        services.pin_comment(participant, first)
    assert services.pin_comment(moderator, first) is True
    assert services.pin_comment(moderator, second) is True
    db.session.refresh(first)
    assert (first.pinned, second.pinned) == (False, True)
    assert services.thread(proposal)[0].comment.id == second.id  # the official answer first
    assert services.pin_comment(moderator, second) is False


def test_a_reply_cannot_be_the_official_answer(db, proposal, participant):
    top = services.post_comment(participant, proposal, "Uno")
    reply = services.post_comment(participant, proposal, "Dos", parent_id=top.id)
    with pytest.raises(Conflict):
        services.pin_comment(ModeratorFactory(), reply)
