"""Following a commitment (an email on each update, with its unsubscribe link) and comments
on updates (the shared comment model)."""
from __future__ import annotations

from app.models import Comment, CommitmentFollower, ProgressUpdate
from tests.tracking.conftest import update_data


def _follow(client, commitment):
    return client.post(f"/plan/commitments/{commitment.id}/follow")


def _report(client, auth, tracked, **values):
    auth.logout()
    auth.login_as(tracked.steward)
    response = client.post(f"/plan/commitments/{tracked.commitment.id}/updates",
                           data=update_data(tracked.commitment, **values))
    assert response.status_code == 303, response.get_data(as_text=True)
    return db_update()


def db_update():
    from app.extensions import db

    return db.session.query(ProgressUpdate).order_by(ProgressUpdate.id.desc()).first()


def test_following_toggles(client, auth, db, tracked):
    auth.login_as(tracked.participant)
    assert _follow(client, tracked.commitment).status_code == 303
    assert db.session.query(CommitmentFollower).count() == 1
    page = client.get(f"/plan/commitments/{tracked.commitment.id}").get_data(as_text=True)
    assert "Dejar de seguir" in page
    assert _follow(client, tracked.commitment).status_code == 303
    assert db.session.query(CommitmentFollower).count() == 0


def test_signed_out_cannot_follow(client, db, tracked):
    assert _follow(client, tracked.commitment).status_code in (302, 303, 401)
    assert db.session.query(CommitmentFollower).count() == 0


def test_followers_are_emailed_on_each_update_with_the_unsubscribe_link(
        client, auth, db, tracked, outbox, app):
    auth.login_as(tracked.participant)
    _follow(client, tracked.commitment)
    db.session.add(CommitmentFollower(commitment_id=tracked.commitment.id,
                                      user_id=tracked.steward.id))  # the author: not emailed
    db.session.flush()
    update = _report(client, auth, tracked, progress="35")
    assert [message.to for message in outbox] == [tracked.participant.email]
    message = outbox[0]
    base = app.config["BASE_URL"].rstrip("/")
    assert f"{base}/plan/commitments/{tracked.commitment.id}#avance-{update.id}" in message.body
    assert "35 %" in message.body
    unsubscribe = message.headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{base}/unsubscribe/") and unsubscribe in message.body
    # One click turns these notices off: the next update emails nobody.
    auth.logout()
    assert client.post(unsubscribe.removeprefix(base)).status_code == 200
    db.session.expire_all()
    assert tracked.participant.notify_updates is False
    _report(client, auth, tracked, progress="50")
    assert len(outbox) == 1


def test_anyone_signed_in_comments_an_update_through_the_shared_comments(
        client, auth, db, tracked):
    update = _report(client, auth, tracked)
    auth.logout()
    auth.login_as(tracked.participant)
    response = client.post(f"/plan/updates/{update.id}/comments",
                           data={"body": "¿Dónde está el **portal**?"})
    assert response.status_code == 303
    comment = db.session.query(Comment).filter_by(update_id=update.id).one()
    assert (comment.proposal_id, comment.commitment_id) == (None, None)
    assert "<strong>portal</strong>" in comment.body_html
    assert response.headers["Location"].endswith(
        f"/plan/commitments/{tracked.commitment.id}#comentario-{comment.id}")
    page = client.get(f"/plan/commitments/{tracked.commitment.id}").get_data(as_text=True)
    assert f'id="comentario-{comment.id}"' in page


def test_an_empty_comment_on_an_update_keeps_the_page_with_a_message(client, auth, db,
                                                                     tracked):
    update = _report(client, auth, tracked)
    response = client.post(f"/plan/updates/{update.id}/comments", data={"body": "  "})
    assert response.status_code == 400
    assert "Escriba su comentario." in response.get_data(as_text=True)
    assert db.session.query(Comment).count() == 0


def test_a_hidden_comment_on_an_update_disappears_from_the_page(client, auth, db, tracked):
    update = _report(client, auth, tracked)
    client.post(f"/plan/updates/{update.id}/comments", data={"body": "Texto ofensivo"})
    comment = db.session.query(Comment).one()
    auth.logout()
    auth.login_as(tracked.moderator)
    response = client.post(f"/moderation/comments/{comment.id}/hide",
                           data={"reason": "Lenguaje ofensivo contra una persona."})
    assert response.status_code in (200, 303)
    page = client.get(f"/plan/commitments/{tracked.commitment.id}").get_data(as_text=True)
    assert "Texto ofensivo" not in page
    assert client.get("/moderation").status_code == 200
