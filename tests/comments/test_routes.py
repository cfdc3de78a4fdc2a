"""POST /proposals/<id>/comments and friends: htmx fragments, 303s without JS, refusals."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db as _db
from app.models import Comment
from tests.factories import CommentFactory, ModeratorFactory, ProposalFactory, UserFactory

HTMX = {"HX-Request": "true"}


def _fresh(obj):
    _db.session.refresh(obj)
    return obj


def test_anonymous_visitors_are_sent_to_sign_in(client, proposal):
    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": "Hola"})
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_without_javascript_redirects_to_the_new_comment(client, auth, proposal, participant):
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/comments",
                           data={"body": "Buena idea", "alignment": "in_favor"})
    assert response.status_code == 303
    comment = _db.session.query(Comment).filter_by(proposal_id=proposal.id).one()
    assert response.headers["Location"] == f"/proposals/{proposal.id}#comentario-{comment.id}"
    assert _fresh(proposal).comment_count == 1
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'id="comentario-{comment.id}"' in html and "Buena idea" in html
    assert "A favor" in html


def test_htmx_gets_the_comment_and_a_cleared_form(client, auth, proposal, participant):
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": "Con htmx"},
                           headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "Con htmx" in html
    assert f'id="comment-form-{proposal.id}"' in html and 'hx-swap-oob="true"' in html
    assert "></textarea>" in html  # the fresh form is empty


def test_htmx_reply_goes_into_the_replies_of_its_parent(client, auth, proposal, participant):
    parent = CommentFactory(proposal_id=proposal.id)
    auth.login_as(participant)
    html = client.post(f"/proposals/{proposal.id}/comments",
                       data={"body": "Respondo", "parent_id": str(parent.id)},
                       headers=HTMX).get_data(as_text=True)
    assert "Respondo" in html
    assert f'id="reply-form-{parent.id}"' in html


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_empty_comment_is_400_and_keeps_the_form(client, auth, proposal, participant, headers):
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/comments",
                           data={"body": "  ", "alignment": "against"}, headers=headers)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Escriba su comentario." in html
    if headers:
        assert response.headers["HX-Retarget"] == f"#comment-form-{proposal.id}"
    assert _fresh(proposal).comment_count == 0


def test_bad_parent_is_400(client, auth, proposal, participant):
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/comments",
                           data={"body": "Hola", "parent_id": "nope"})
    assert response.status_code == 400


def test_comments_on_a_decided_proposal_are_409(client, auth, participant):
    proposal = ProposalFactory(status="rejected")
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": "Hola"})
    assert response.status_code == 409
    assert "cerrados" in response.get_data(as_text=True)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Los comentarios de esta propuesta están cerrados" in page


def test_unknown_proposal_is_404(client, auth, participant):
    auth.login_as(participant)
    assert client.post("/proposals/999999/comments", data={"body": "x"}).status_code == 404


def test_author_edits_then_the_window_closes(client, auth, proposal, participant, db):
    comment = CommentFactory(proposal_id=proposal.id, author_id=participant.id)
    auth.login_as(participant)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 200
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Corregido"})
    assert response.status_code == 303
    assert _fresh(comment).body == "Corregido"
    comment.created_at -= timedelta(minutes=16)
    db.session.flush()
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "x"}).status_code == 403


def test_others_cannot_edit_or_delete(client, auth, proposal):
    comment = CommentFactory(proposal_id=proposal.id)
    auth.login_as(UserFactory())
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "x"}).status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    assert client.post("/comments/999999/delete").status_code == 404


def test_deleted_comment_shows_a_placeholder(client, auth, proposal, participant):
    auth.login_as(participant)
    client.post(f"/proposals/{proposal.id}/comments", data={"body": "Texto borrado"})
    comment = _db.session.query(Comment).filter_by(proposal_id=proposal.id).one()
    response = client.post(f"/comments/{comment.id}/delete")
    assert response.status_code == 303
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Comentario eliminado por su autor." in html
    assert "Texto borrado" not in html
    assert _fresh(proposal).comment_count == 0


def test_hidden_comment_shows_the_moderation_reason(client, proposal):
    CommentFactory(proposal_id=proposal.id, body="Spam spam", hidden=True,
                   hidden_reason="Publicidad no relacionada")
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Comentario ocultado por la moderación." in html
    assert "Publicidad no relacionada" in html
    assert "Spam spam" not in html


def test_public_servant_comments_carry_the_institutional_badge(client, proposal):
    servant = UserFactory(role="public_servant", institution="Ministerio de Finanzas Públicas")
    CommentFactory(proposal_id=proposal.id, author_id=servant.id)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Respuesta institucional: Ministerio de Finanzas Públicas" in html


def test_moderator_pins_the_official_answer(client, auth, proposal):
    comment = CommentFactory(proposal_id=proposal.id)
    auth.login_as(UserFactory())
    assert client.post(f"/comments/{comment.id}/pin").status_code == 403
    auth.logout()
    auth.login_as(ModeratorFactory())
    response = client.post(f"/comments/{comment.id}/pin")
    assert response.status_code == 303
    assert _fresh(comment).pinned is True
    assert "Respuesta oficial" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/proposals/99999999999999999999/comments", "/proposals/99999999999999999999/vote",
    "/comments/99999999999999999999/delete", "/comments/99999999999999999999/pin",
])
def test_out_of_range_ids_are_404_not_500(client, auth, participant, url):
    auth.login_as(participant)
    assert client.post(url, data={"body": "x"}).status_code == 404


@pytest.mark.parametrize("data", [
    {"body": "Hola", "parent_id": "99999999999999999999"},
    {"body": "Hola", "parent_id": "-1"},
    {"body": "\x00\x00"},
    {"body": "Hola", "alignment": "x" * 500},
])
def test_odd_input_is_400_not_500(client, auth, proposal, participant, data):
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/comments", data=data)
    assert response.status_code == 400


def test_nul_characters_are_refused_and_nothing_is_stored(client, auth, proposal, participant):
    # app/security.py answers 400 to any NUL in the request (PostgreSQL cannot store it).
    auth.login_as(participant)
    assert client.post(f"/proposals/{proposal.id}/comments",
                       data={"body": "Ho\x00la"}).status_code == 400
    assert _db.session.query(Comment).filter_by(proposal_id=proposal.id).count() == 0
