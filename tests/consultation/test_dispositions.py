"""Moderators give each consultation comment a disposition with a reasoned response; the
commenter is emailed; the disposition shows under the comment; hidden comments get none."""
from __future__ import annotations

from app.models import Comment
from tests.consultation.conftest import add_comment
from tests.factories import CommentFactory

RESPONSE = "Se incorporó en el hito 2: los contratos firmados se publicarán cada mes."


def _answer(client, comment_id, disposition="incorporated", response=RESPONSE, **headers):
    return client.post(f"/plan/comments/{comment_id}/disposition",
                       data={"disposition": disposition, "response": response},
                       headers=headers)


def test_moderator_answers_a_comment_and_the_commenter_is_emailed(client, auth, db, outbox,
                                                                  consultation_plan):
    comment = add_comment(consultation_plan.first, consultation_plan.participant)
    auth.login_as(consultation_plan.moderator)
    response = _answer(client, comment.id, "partially_incorporated")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#comentario-{comment.id}")
    db.session.refresh(comment)
    assert comment.disposition == "partially_incorporated"
    assert comment.disposition_response == RESPONSE
    assert comment.disposition_by_id == consultation_plan.moderator.id
    [message] = outbox
    assert message.to == consultation_plan.participant.email
    assert "Incorporado parcialmente" in message.body
    assert RESPONSE in message.body
    assert f"/plan/commitments/{consultation_plan.first.id}" in message.body


def test_disposition_shows_under_the_comment(client, auth, db, consultation_plan):
    comment = add_comment(consultation_plan.first, consultation_plan.participant)
    auth.login_as(consultation_plan.moderator)
    _answer(client, comment.id, "not_incorporated")
    auth.logout()
    page = client.get(f"/plan/commitments/{consultation_plan.first.id}").get_data(as_text=True)
    assert "No incorporado" in page
    assert RESPONSE in page
    assert "disposition-form" not in page  # the form is for moderators only


def test_disposition_without_a_response_keeps_the_form_and_the_text(client, auth, db, outbox,
                                                                    consultation_plan):
    comment = add_comment(consultation_plan.first, consultation_plan.participant)
    auth.login_as(consultation_plan.moderator)
    response = _answer(client, comment.id, "out_of_scope", "Muy corto")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "al menos 20 caracteres" in page
    assert ">Muy corto</textarea>" in page
    assert 'value="out_of_scope" checked' in page
    db.session.refresh(comment)
    assert comment.disposition is None
    assert outbox == []


def test_disposition_error_with_htmx_returns_the_form_in_place(client, auth,
                                                               consultation_plan):
    comment = add_comment(consultation_plan.first, consultation_plan.participant)
    auth.login_as(consultation_plan.moderator)
    response = _answer(client, comment.id, "maybe", RESPONSE, **{"HX-Request": "true"})
    assert response.status_code == 400
    fragment = response.get_data(as_text=True)
    assert "Elija cómo se consideró el comentario." in fragment
    assert "<html" not in fragment


def test_disposition_with_htmx_returns_the_disposition(client, auth, consultation_plan):
    comment = add_comment(consultation_plan.first, consultation_plan.participant)
    auth.login_as(consultation_plan.moderator)
    response = _answer(client, comment.id, **{"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="disposicion-{comment.id}"' in response.get_data(as_text=True)


def test_disposition_on_a_hidden_comment_is_refused(client, auth, db, outbox,
                                                    consultation_plan):
    comment = add_comment(consultation_plan.first, consultation_plan.participant, hidden=True,
                          hidden_reason="Ofensivo")
    auth.login_as(consultation_plan.moderator)
    response = _answer(client, comment.id)
    assert response.status_code == 409
    db.session.refresh(comment)
    assert comment.disposition is None
    assert outbox == []


def test_proposal_comments_receive_no_disposition(client, auth, db, consultation_plan):
    comment = CommentFactory()
    auth.login_as(consultation_plan.moderator)
    assert _answer(client, comment.id).status_code == 409


def test_only_moderators_give_dispositions(client, auth, db, consultation_plan):
    comment = add_comment(consultation_plan.first, consultation_plan.participant)
    auth.login_as(consultation_plan.participant)
    assert _answer(client, comment.id).status_code == 403
    assert db.session.get(Comment, comment.id).disposition is None


def test_moderation_queue_lists_unanswered_consultation_comments_first(client, auth, db,
                                                                       consultation_plan):
    answered = add_comment(consultation_plan.first, consultation_plan.participant,
                           body="Comentario ya respondido", disposition="incorporated",
                           disposition_response=RESPONSE)
    pending = add_comment(consultation_plan.second, consultation_plan.participant,
                          body="Comentario sin responder")
    auth.login_as(consultation_plan.moderator)
    page = client.get("/moderation").get_data(as_text=True)
    assert "Comentarios de la consulta pública" in page
    assert page.index("Comentario sin responder") < page.index("Comentario ya respondido")
    assert f"#comentario-{pending.id}" in page and f"#comentario-{answered.id}" in page


def test_hiding_a_consultation_comment_moves_no_proposal_count(client, auth, db,
                                                               consultation_plan, runner):
    comment = add_comment(consultation_plan.first, consultation_plan.participant)
    auth.login_as(consultation_plan.moderator)
    response = client.post(f"/moderation/comments/{comment.id}/hide",
                           data={"reason": "Lenguaje ofensivo"})
    assert response.status_code == 303
    assert f"/plan/commitments/{consultation_plan.first.id}" in response.headers["Location"]
    db.session.refresh(comment)
    assert comment.hidden
    result = runner.invoke(args=["counts", "check"])
    assert result.exit_code == 0, result.output


def test_author_deletes_a_consultation_comment_and_counts_stay_right(client, auth, db,
                                                                     consultation_plan,
                                                                     runner):
    auth.login_as(consultation_plan.participant)
    client.post(f"/plan/commitments/{consultation_plan.first.id}/comments",
                data={"body": "Me arrepiento", "alignment": "neutral"})
    comment = db.session.query(Comment).filter_by(
        commitment_id=consultation_plan.first.id).one()
    response = client.post(f"/comments/{comment.id}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 200
    db.session.refresh(comment)
    assert comment.deleted_at is not None
    assert runner.invoke(args=["counts", "check"]).exit_code == 0


def test_consultation_comments_cannot_be_pinned(client, auth, db, consultation_plan):
    comment = add_comment(consultation_plan.first, consultation_plan.participant)
    auth.login_as(consultation_plan.moderator)
    assert client.post(f"/comments/{comment.id}/pin").status_code == 409
