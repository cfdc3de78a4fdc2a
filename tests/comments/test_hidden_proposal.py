"""The comments of a proposal hidden later answer 404 like the proposal: no edit, no report."""
from __future__ import annotations

import pytest

from tests.factories import CommentFactory, ProposalFactory, UserFactory


@pytest.fixture
def later_hidden(db):
    """A fresh comment (still inside its edit window) whose proposal was hidden afterwards."""
    proposal = ProposalFactory()
    author = UserFactory()
    comment = CommentFactory(proposal_id=proposal.id, author_id=author.id)
    proposal.hidden, proposal.hidden_reason = True, "Datos personales"
    db.session.flush()
    return comment, author


def test_comment_of_a_hidden_proposal_cannot_be_edited(client, auth, later_hidden):
    comment, author = later_hidden
    auth.login_as(author)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 404
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Texto nuevo"})
    assert response.status_code == 404
    assert client.post(f"/comments/{comment.id}/delete").status_code == 404


def test_comment_of_a_hidden_proposal_cannot_be_reported(client, auth, later_hidden):
    comment, _author = later_hidden
    auth.login_as(UserFactory())
    response = client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"})
    assert response.status_code == 404


def test_comment_of_a_visible_proposal_can_still_be_edited_and_reported(client, auth, db):
    proposal = ProposalFactory()
    author = UserFactory()
    comment = CommentFactory(proposal_id=proposal.id, author_id=author.id)
    auth.login_as(author)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 200
    auth.logout()
    auth.login_as(UserFactory())
    response = client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"})
    assert response.status_code == 303
