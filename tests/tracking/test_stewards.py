"""Admins name stewards: public servants' accounts only."""
from __future__ import annotations

import pytest

from app.models import CommitmentSteward, ModerationAction
from tests.factories import UserFactory


def _name(client, commitment, email):
    return client.post(f"/admin/commitments/{commitment.id}/stewards", data={"email": email})


def test_admin_names_a_public_servant_steward_and_it_is_logged(client, auth, db, tracked):
    servant = UserFactory(role="public_servant", sector="sector_publico",
                          email="Funcionaria@Ejemplo.gt")
    auth.login_as(tracked.admin)
    assert _name(client, tracked.commitment, "funcionaria@ejemplo.gt").status_code == 303
    assert db.session.query(CommitmentSteward).filter_by(user_id=servant.id).count() == 1
    assert db.session.query(ModerationAction).filter_by(
        action="steward_named", target_id=tracked.commitment.id).count() == 1
    page = client.get(f"/plan/commitments/{tracked.commitment.id}").get_data(as_text=True)
    assert servant.display_name in page


@pytest.mark.parametrize(("email", "message"), [
    ("nadie@ejemplo.gt", "No hay una cuenta activa con ese correo."),
    ("", "Escriba el correo de la cuenta del servidor público."),
])
def test_unknown_accounts_are_refused_with_a_message(client, auth, db, tracked, email,
                                                     message):
    auth.login_as(tracked.admin)
    response = _name(client, tracked.commitment, email)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(CommitmentSteward).count() == 1


def test_a_participant_cannot_be_named(client, auth, db, tracked):
    auth.login_as(tracked.admin)
    response = _name(client, tracked.commitment, tracked.participant.email)
    assert response.status_code == 400
    assert "no es servidor público" in response.get_data(as_text=True)


def test_naming_twice_is_refused(client, auth, db, tracked):
    auth.login_as(tracked.admin)
    response = _name(client, tracked.commitment, tracked.steward.email)
    assert response.status_code == 400
    assert "ya es responsable" in response.get_data(as_text=True)


def test_only_admins_name_stewards(client, auth, db, tracked):
    servant = UserFactory(role="public_servant", sector="sector_publico")
    auth.login_as(tracked.moderator)
    assert _name(client, tracked.commitment, servant.email).status_code == 403
    assert db.session.query(CommitmentSteward).count() == 1


def test_a_removed_steward_can_no_longer_report(client, auth, db, tracked):
    auth.login_as(tracked.admin)
    response = client.post(f"/admin/commitments/{tracked.commitment.id}/stewards/"
                           f"{tracked.steward.id}/remove")
    assert response.status_code == 303
    assert db.session.query(CommitmentSteward).count() == 0
    auth.logout()
    auth.login_as(tracked.steward)
    response = client.post(f"/plan/commitments/{tracked.commitment.id}/updates",
                           data={"summary": "x", "progress": "1"})
    assert response.status_code == 403
