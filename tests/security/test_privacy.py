"""Account deletion, what leaves the server, and what the logs keep."""
from __future__ import annotations

import logging

from sqlalchemy import select

from app.models import Proposal, User
from tests.conftest import PASSWORD, AuthActions
from tests.factories import (
    CommentFactory,
    EstablishedUserFactory,
    ProposalFactory,
    UserFactory,
)


def test_deleting_needs_the_password_and_erases_the_person(client, db):
    user = UserFactory(email="borrar@ejemplo.org", display_name="Nombre Real",
                       organization="Mi ONG")
    proposal = ProposalFactory(author=user)
    CommentFactory(proposal_id=proposal.id, author_id=user.id)
    AuthActions(client).login_as(user)

    wrong = client.post("/account/delete", data={"password": "no-es-esta"})
    assert wrong.status_code == 400 and "La contraseña no es correcta" in wrong.get_data(True)
    db.session.refresh(user)
    assert user.email == "borrar@ejemplo.org"

    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.email != "borrar@ejemplo.org" and "borrar" not in user.email
    assert user.display_name == "Participante eliminado"
    assert user.organization is None and not user.is_active and user.deleted_at
    assert db.session.get(Proposal, proposal.id).author_id == user.id  # the proposal stays
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Participante eliminado" in page and "Nombre Real" not in page
    assert client.get("/account").status_code == 302  # signed out
    assert AuthActions(client).login("borrar@ejemplo.org").status_code == 400


def test_the_email_of_a_deleted_account_can_register_again(client, db):
    user = UserFactory(email="vuelve@ejemplo.org")
    AuthActions(client).login_as(user)
    client.post("/account/delete", data={"password": PASSWORD})
    response = client.post("/auth/register", data={
        "email": "vuelve@ejemplo.org", "display_name": "De nuevo", "password": PASSWORD,
        "password_confirm": PASSWORD, "sector": "academia", "accept_terms": "y"})
    assert response.status_code == 303
    assert db.session.scalar(select(User).where(User.email == "vuelve@ejemplo.org")).id != user.id


def test_deleting_needs_a_signed_in_user(client, db):
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_pages_never_show_another_persons_email(client, db, world):
    for url in ("/", "/proposals", f"/proposals/{world.proposal.id}",
                f"/themes/{world.theme.slug}", "/mesas"):
        page = client.get(url).get_data(as_text=True)
        assert world.author.email not in page


def test_logs_carry_no_passwords_tokens_or_reset_links_in_clear(client, db, caplog):
    user = UserFactory(email="registro@ejemplo.org")
    with caplog.at_level(logging.DEBUG):
        client.post("/auth/login", data={"email": user.email, "password": "secreto-largo-1"})
        client.post("/auth/register", data={
            "email": "otra@ejemplo.org", "display_name": "X", "password": "secreto-largo-2",
            "password_confirm": "secreto-largo-2", "sector": "academia", "accept_terms": "y"})
    text = caplog.text
    assert "secreto-largo" not in text


def test_transparency_never_names_the_people_who_flag(client, world):
    """Three reports through the real route auto-hide a proposal; a moderator restores it,
    dismisses reports on a comment and decides: the public log and its CSV name no flagger."""
    flaggers = [EstablishedUserFactory(display_name=f"Denunciante Anónima {n}",
                            email=f"denunciante{n}@ejemplo.org") for n in range(3)]
    auth = AuthActions(client)
    for user in flaggers:
        auth.login_as(user)
        # The comment first: once its proposal is hidden, its comments cannot be reported.
        for url in (f"/comments/{world.comment.id}/flag", f"/proposals/{world.proposal.id}/flag"):
            response = client.post(url, data={"reason": "offensive",
                                              "details": f"Firmado: {user.display_name}"})
            assert response.status_code == 303
        auth.logout()
    db_proposal = _db_get(Proposal, world.proposal.id)
    assert db_proposal.hidden  # the third report hid it: the log has an entry caused by flags
    auth.login_as(world.moderator)
    for url, data in ((f"/moderation/proposals/{world.proposal.id}/restore", {"reason": "Ok"}),
                      (f"/moderation/comments/{world.comment.id}/dismiss", {})):
        assert client.post(url, data=data).status_code == 303
    auth.logout()
    pages = [client.get("/transparency"), client.get("/transparency/participation.csv")]
    assert pages[0].status_code == 200 and world.proposal.title in pages[0].get_data(True)
    for page in pages:
        text = page.get_data(as_text=True)
        for user in flaggers:
            assert user.display_name not in text and user.email not in text
            assert "denunciante" not in text.lower()


def _db_get(model, ident):
    from app.extensions import db

    db.session.expire_all()
    return db.session.get(model, ident)
