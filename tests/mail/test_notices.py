"""Notices arrive at a real SMTP server after commit; preferences and unsubscribe work."""
from __future__ import annotations

import re

import pytest

from app import mail
from app.extensions import db as _db
from tests.factories import CommentFactory, ProposalFactory, UserFactory


def _comment(client, proposal, body, parent_id=None, headers=None):
    data = {"body": body}
    if parent_id:
        data["parent_id"] = str(parent_id)
    response = client.post(f"/proposals/{proposal.id}/comments", data=data, headers=headers or {})
    assert response.status_code in (200, 303), response.data
    return response


def _unsubscribe_path(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/unsubscribe/\S+)", text).group(1)


def test_proposal_author_is_told_of_a_new_comment(client, auth, inbox):
    proposal = ProposalFactory(title="Portal de compras abiertas")
    auth.login_as(UserFactory(display_name="Jorge Xicará"))
    _comment(client, proposal, "Me parece **muy** útil.")
    [message] = inbox.to(proposal.author.email)
    assert "Nuevo comentario en su propuesta «Portal de compras abiertas»" == message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Jorge Xicará comentó su propuesta" in body
    assert f"/proposals/{proposal.id}#comentario-" in body
    assert message["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_comment_author_is_told_of_a_reply_once(client, auth, inbox):
    proposal = ProposalFactory()
    commenter = UserFactory()
    parent = CommentFactory(proposal_id=proposal.id, author_id=commenter.id)
    auth.login_as(UserFactory())
    _comment(client, proposal, "Le respondo", parent_id=parent.id, headers={"HX-Request": "1"})
    [reply] = inbox.to(commenter.email)
    assert reply["Subject"].startswith("Respondieron a su comentario")
    assert len(inbox.to(proposal.author.email)) == 1  # the author hears of it too


def test_nobody_is_told_of_their_own_comment(client, auth, inbox):
    proposal = ProposalFactory()
    auth.login_as(proposal.author)
    _comment(client, proposal, "Aclaro mi propuesta")
    assert inbox.messages == []


def test_preferences_turn_notices_off(client, auth, inbox):
    proposal = ProposalFactory(author=UserFactory(notify_comments=False))
    auth.login_as(UserFactory())
    _comment(client, proposal, "Hola")
    assert inbox.messages == []


def test_a_refused_comment_sends_nothing(client, auth, inbox):
    proposal = ProposalFactory()
    auth.login_as(UserFactory())
    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": ""})
    assert response.status_code == 400
    assert inbox.messages == []


def test_a_failing_mail_server_never_breaks_a_comment(client, auth, app, monkeypatch, caplog):
    import socket

    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_ASYNC", False)
    proposal = ProposalFactory()
    auth.login_as(UserFactory())
    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": "Hola"})
    assert response.status_code == 303
    _db.session.refresh(proposal)
    assert proposal.comment_count == 1
    assert "mail: sending" in caplog.text


def test_one_click_unsubscribe_turns_the_notice_off(client, auth, inbox):
    proposal = ProposalFactory()
    auth.login_as(UserFactory())
    _comment(client, proposal, "Hola")
    path = _unsubscribe_path(inbox.to(proposal.author.email)[0])
    auth.logout()
    page = client.get(path)
    assert page.status_code == 200 and "Dejar de recibir" in page.get_data(as_text=True)
    _db.session.refresh(proposal.author)
    assert proposal.author.notify_comments is True  # GET alone changes nothing
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    _db.session.refresh(proposal.author)
    assert proposal.author.notify_comments is False
    assert proposal.author.notify_replies is True


@pytest.mark.parametrize("token", ["nope", "eyJhIjoxfQ.bad-signature"])
def test_forged_unsubscribe_tokens_are_refused(client, token):
    assert client.get(f"/unsubscribe/{token}").status_code == 400
    assert client.post(f"/unsubscribe/{token}").status_code == 400


def test_unsubscribe_token_round_trip(app, db):
    user = UserFactory()
    with app.test_request_context():
        token = mail.unsubscribe_token(user, "decisions")
        assert mail.read_unsubscribe_token(token) == (user.id, "decisions")
        assert mail.read_unsubscribe_token(token[:-2] + "xx") is None
        with pytest.raises(ValueError):
            mail.unsubscribe_token(user, "everything")


def test_decision_notice_reaches_author_and_supporters(app, db, inbox):
    from app.votes.services import record_support

    proposal = ProposalFactory(status="accepted", response="Se integra al compromiso 3.")
    supporters = UserFactory.create_batch(2)
    quiet = UserFactory(notify_decisions=False)
    for user in [*supporters, quiet]:
        record_support(user, proposal)
    from app.moderation.notifications import notify_decision

    with app.test_request_context():
        assert notify_decision(proposal) == 3
        db.session.commit()  # notices leave after the commit (the savepoint here)
    received = {m["To"] for m in inbox.messages}
    assert received == {proposal.author.email, *(u.email for u in supporters)}
    body = inbox.to(supporters[0].email)[0].get_body(("plain",)).get_content()
    assert "que usted apoya" in body and "Aceptada" in body
    assert "Se integra al compromiso 3." in body


def test_background_sending_delivers_after_the_request(client, auth, app, smtp_server,
                                                        monkeypatch):
    inbox, port = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_ASYNC", True)
    proposal = ProposalFactory()
    auth.login_as(UserFactory())
    _comment(client, proposal, "En segundo plano")
    with inbox.arrived:
        inbox.arrived.wait_for(lambda: inbox.messages, timeout=30)
    assert [m["To"] for m in inbox.messages] == [proposal.author.email]



def test_one_click_post_needs_no_form_token(db):
    """Mail providers POST the List-Unsubscribe URL without a CSRF token (RFC 8058)."""
    from app import create_app
    from tests.conftest import FreshContextClient, SuiteConfig

    class CSRFConfig(SuiteConfig):
        WTF_CSRF_ENABLED = True

    app = create_app(CSRFConfig)
    app.test_client_class = FreshContextClient
    user = UserFactory()
    with app.test_request_context():
        token = mail.unsubscribe_token(user, "replies")
    response = app.test_client().post(f"/unsubscribe/{token}",
                                      data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.notify_replies is False


def test_password_reset_email_leaves_though_the_request_only_read(client, inbox):
    """A view that commits nothing (it only read) still sends what it queued, at its end."""
    user = UserFactory()
    response = client.post("/auth/reset", data={"email": user.email})
    assert response.status_code == 303
    [message] = inbox.to(user.email)
    assert "/auth/reset/" in message.get_body(("plain",)).get_content()


def test_a_savepoint_does_not_release_mail_before_the_real_commit(app, db, monkeypatch):
    sent = []
    monkeypatch.setattr(mail, "send", lambda message: sent.append(message) or True)
    user = UserFactory()
    db.session.flush()
    mail.queue(mail.Message(to=user.email, subject="Asunto", body="Cuerpo"))
    with db.session.begin_nested():
        user.display_name = "Otra"
    assert sent == []
    db.session.rollback()
    db.session.commit()
    assert sent == []  # the transaction that queued it was rolled back
