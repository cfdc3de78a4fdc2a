"""Progress updates: stewards and moderators report, each update is kept (a timeline), and
bad input is refused with a message and nothing stored."""
from __future__ import annotations

import pytest

from app.models import MilestoneReport, ProgressUpdate
from tests.tracking.conftest import add_commitment, name, update_data


def _post(client, commitment, **values):
    return client.post(f"/plan/commitments/{commitment.id}/updates",
                       data=update_data(commitment, **values))


def _stored(db) -> tuple[int, int]:
    return (db.session.query(ProgressUpdate).count(),
            db.session.query(MilestoneReport).count())


def test_steward_reports_progress_and_milestone_statuses(client, auth, db, tracked):
    commitment = tracked.commitment
    first, second, third = commitment.milestones
    auth.login_as(tracked.steward)
    response = _post(client, commitment, **{f"milestone-{first.id}-status": "completed",
                                            f"milestone-{second.id}-status": "in_progress"})
    assert response.status_code == 303
    update = db.session.query(ProgressUpdate).one()
    assert response.headers["Location"].endswith(
        f"/plan/commitments/{commitment.id}#avance-{update.id}")
    db.session.expire_all()
    assert (commitment.progress, update.progress) == (40, 40)
    assert commitment.last_update_at == update.created_at
    assert [m.status for m in commitment.milestones] == ["completed", "in_progress",
                                                         "not_started"]
    assert "<strong>portal</strong>" in update.summary_html
    assert update.evidence_urls == ["https://datos.example.gt/compras"]
    page = client.get(f"/plan/commitments/{commitment.id}").get_data(as_text=True)
    assert f'id="avance-{update.id}"' in page and "Limitado" in page


def test_each_update_is_kept_and_the_newest_sets_the_progress(client, auth, db, tracked):
    commitment = tracked.commitment
    auth.login_as(tracked.steward)
    assert _post(client, commitment, progress="30").status_code == 303
    assert _post(client, commitment, progress="55",
                 summary="Segundo reporte del avance.").status_code == 303
    updates = db.session.query(ProgressUpdate).order_by(ProgressUpdate.id).all()
    assert [u.progress for u in updates] == [30, 55]
    assert updates[0].summary == "Se publicó el **portal**."
    db.session.expire_all()
    assert commitment.progress == 55
    page = client.get(f"/plan/commitments/{commitment.id}").get_data(as_text=True)
    assert page.index("Segundo reporte") < page.index("portal</strong>")


def test_a_moderator_may_report_progress(client, auth, db, tracked):
    auth.login_as(tracked.moderator)
    assert _post(client, tracked.commitment).status_code == 303


@pytest.mark.parametrize("who", ["participant", "other_servant", "admin_not_moderator"])
def test_anyone_else_is_forbidden_and_nothing_is_stored(client, auth, db, tracked, who):
    from tests.factories import UserFactory

    user = {"participant": tracked.participant,
            "other_servant": UserFactory(role="public_servant", sector="sector_publico"),
            "admin_not_moderator": None}[who]
    if user is None:  # a public servant named on another commitment
        other = add_commitment(tracked.theme, 2)
        user = UserFactory(role="public_servant", sector="sector_publico")
        name(other, user)
    auth.login_as(user)
    assert _post(client, tracked.commitment).status_code == 403
    assert _stored(db) == (0, 0)


def test_signed_out_posting_goes_to_sign_in(client, db, tracked):
    response = _post(client, tracked.commitment)
    assert response.status_code in (302, 303, 401)
    assert _stored(db) == (0, 0)


@pytest.mark.parametrize("status", ["cocreation", "consultation", "closed"])
def test_an_update_outside_adoption_and_implementation_is_a_conflict(client, auth, db,
                                                                     tracked, status):
    tracked.plan.status = status
    db.session.flush()
    auth.login_as(tracked.steward)
    response = _post(client, tracked.commitment)
    assert response.status_code == 409
    assert "no recibe reportes de avance" in response.get_data(as_text=True)
    assert _stored(db) == (0, 0)


def test_an_adopted_plan_takes_updates(client, auth, db, tracked):
    tracked.plan.status = "adopted"
    db.session.flush()
    auth.login_as(tracked.steward)
    assert _post(client, tracked.commitment).status_code == 303


@pytest.mark.parametrize(("values", "message"), [
    ({"progress": "150"}, "El avance debe estar entre 0 y 100 %."),
    ({"progress": "-5"}, "El avance debe estar entre 0 y 100 %."),
    ({"progress": "mucho"}, "Escriba un número entero."),
    ({"progress": ""}, "Indique el avance, de 0 a 100 %."),
    ({"summary": "   "}, "Resuma el avance del compromiso."),
    ({"evidence_url": ["javascript:alert(1)"]}, "no es un enlace web"),
])
def test_bad_input_keeps_the_form_with_a_message_and_stores_nothing(
        client, auth, db, tracked, values, message):
    auth.login_as(tracked.steward)
    response = _post(client, tracked.commitment, **values)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert _stored(db) == (0, 0)
    assert tracked.commitment.progress == 0


def test_an_unknown_milestone_status_is_refused_next_to_its_milestone(client, auth, db,
                                                                      tracked):
    milestone = tracked.commitment.milestones[0]
    auth.login_as(tracked.steward)
    response = _post(client, tracked.commitment, summary="Texto que se conserva.",
                     **{f"milestone-{milestone.id}-status": "terminado"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Estado de hito desconocido" in page
    assert "Texto que se conserva." in page
    assert _stored(db) == (0, 0)
    db.session.expire_all()
    assert milestone.status == "not_started"


def test_a_milestone_of_another_commitment_is_refused(client, auth, db, tracked):
    other = add_commitment(tracked.theme, 2)
    foreign = other.milestones[0]
    auth.login_as(tracked.steward)
    response = _post(client, tracked.commitment,
                     **{f"milestone-{foreign.id}-status": "completed"})
    assert response.status_code == 400
    assert "no pertenece a este compromiso" in response.get_data(as_text=True)
    assert _stored(db) == (0, 0)
    db.session.expire_all()
    assert foreign.status == "not_started"


def test_the_update_form_is_shown_to_stewards_only(client, auth, db, tracked):
    url = f"/plan/commitments/{tracked.commitment.id}"
    assert "Reportar un avance" not in client.get(url).get_data(as_text=True)
    auth.login_as(tracked.participant)
    assert "Reportar un avance" not in client.get(url).get_data(as_text=True)
    auth.logout()
    auth.login_as(tracked.steward)
    page = client.get(url).get_data(as_text=True)
    assert "Reportar un avance" in page
    assert f'name="milestone-{tracked.commitment.milestones[0].id}-status"' in page
