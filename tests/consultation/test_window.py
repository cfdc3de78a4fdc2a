"""Opening the consultation: admins only, on the latest published version, dates in
Guatemala's time; commenting only inside the window (409 with the window's dates outside)."""
from __future__ import annotations

from datetime import UTC, datetime

from app.models import Comment, Consultation
from app.plan.services import publish_version
from tests.consultation.conftest import close_window
from tests.factories import ThemeFactory, UserFactory


def _open(client, slug, opens="2030-09-01T08:00", closes="2030-09-15T18:00", **headers):
    return client.post(f"/admin/plans/{slug}/consultation",
                       data={"opens_at": opens, "closes_at": closes}, headers=headers)


def test_admin_opens_the_consultation_on_the_latest_version_and_the_plan_enters_it(
        client, auth, db, consultation_plan):
    plan = consultation_plan.plan
    plan.status = "cocreation"
    newer = publish_version(plan, consultation_plan.moderator, "Borrador v2")
    auth.login_as(consultation_plan.admin)
    response = _open(client, plan.slug)
    assert response.status_code == 303
    db.session.expire_all()
    latest = db.session.query(Consultation).order_by(Consultation.id.desc()).first()
    assert latest.version_id == newer.id
    assert plan.status == "consultation"
    # 08:00 in Guatemala (UTC-6) is 14:00 UTC.
    assert latest.opens_at == datetime(2030, 9, 1, 14, 0, tzinfo=UTC)
    assert latest.closes_at == datetime(2030, 9, 16, 0, 0, tzinfo=UTC)


def test_opening_with_bad_dates_keeps_the_form_with_the_message(client, auth, db,
                                                                consultation_plan):
    auth.login_as(consultation_plan.admin)
    count = db.session.query(Consultation).count()
    response = _open(client, consultation_plan.plan.slug, closes="2030-08-01T08:00")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "El cierre debe ser posterior a la apertura." in page
    assert 'value="2030-08-01T08:00"' in page and 'value="2030-09-01T08:00"' in page
    response = _open(client, consultation_plan.plan.slug, opens="mañana")
    assert response.status_code == 400
    assert "AAAA-MM-DDTHH:MM" in response.get_data(as_text=True)
    assert db.session.query(Consultation).count() == count


def test_consultation_needs_a_published_version(client, auth, db):
    theme = ThemeFactory()
    auth.login_as(UserFactory(role="admin"))
    response = _open(client, theme.plan.slug)
    assert response.status_code == 409
    assert "Publique primero una versión" in response.get_data(as_text=True)


def test_only_admins_open_a_consultation(client, auth, consultation_plan):
    auth.login_as(consultation_plan.moderator)
    assert _open(client, consultation_plan.plan.slug).status_code == 403


def test_plan_invites_comments_while_the_consultation_is_open(client, consultation_plan):
    page = client.get("/plan").get_data(as_text=True)
    assert "está en consulta pública hasta el" in page
    assert f'/plan/commitments/{consultation_plan.first.id}"' in page
    close_window(consultation_plan.consultation)
    assert "está en consulta pública hasta el" not in client.get("/plan").get_data(as_text=True)


def test_participant_comments_a_commitment_while_the_window_is_open(client, auth, db,
                                                                   consultation_plan):
    commitment = consultation_plan.first
    auth.login_as(consultation_plan.participant)
    response = client.post(f"/plan/commitments/{commitment.id}/comments",
                           data={"body": "Incluyan los contratos **firmados**.",
                                 "alignment": "in_favor"})
    assert response.status_code == 303
    comment = db.session.query(Comment).filter_by(commitment_id=commitment.id).one()
    assert response.headers["Location"].endswith(
        f"/plan/commitments/{commitment.id}#comentario-{comment.id}")
    assert comment.proposal_id is None and comment.alignment == "in_favor"
    page = client.get(f"/plan/commitments/{commitment.id}").get_data(as_text=True)
    assert "<strong>firmados</strong>" in page
    assert "A favor" in page


def test_commenting_outside_the_window_is_409_with_its_dates(client, auth, db,
                                                             consultation_plan):
    close_window(consultation_plan.consultation)
    auth.login_as(consultation_plan.participant)
    response = client.post(f"/plan/commitments/{consultation_plan.first.id}/comments",
                           data={"body": "Tarde", "alignment": "neutral"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "La consulta pública recibe comentarios del" in page
    assert "(hora de Guatemala)" in page
    assert db.session.query(Comment).filter_by(
        commitment_id=consultation_plan.first.id).count() == 0


def test_commenting_without_any_consultation_is_409(client, auth, db, consultation_plan):
    db.session.delete(consultation_plan.consultation)
    db.session.flush()
    auth.login_as(consultation_plan.participant)
    response = client.post(f"/plan/commitments/{consultation_plan.first.id}/comments",
                           data={"body": "Hola", "alignment": "neutral"})
    assert response.status_code == 409


def test_empty_comment_keeps_the_form_and_the_alignment(client, auth, consultation_plan):
    auth.login_as(consultation_plan.participant)
    response = client.post(f"/plan/commitments/{consultation_plan.first.id}/comments",
                           data={"body": "  ", "alignment": "against"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Escriba su comentario." in page
    assert 'value="against" checked' in page


def test_unknown_alignment_is_400_never_500(client, auth, consultation_plan):
    auth.login_as(consultation_plan.participant)
    response = client.post(f"/plan/commitments/{consultation_plan.first.id}/comments",
                           data={"body": "Hola", "alignment": "maybe"})
    assert response.status_code == 400


def test_htmx_comment_returns_the_comment_fragment(client, auth, db, consultation_plan):
    auth.login_as(consultation_plan.participant)
    response = client.post(f"/plan/commitments/{consultation_plan.first.id}/comments",
                           data={"body": "Con htmx", "alignment": "neutral"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "Con htmx" in fragment and "<html" not in fragment
    assert 'hx-swap-oob="true"' in fragment  # a fresh form


def test_reply_to_a_consultation_comment_stays_on_the_commitment(client, auth, db,
                                                                 consultation_plan):
    auth.login_as(consultation_plan.participant)
    client.post(f"/plan/commitments/{consultation_plan.first.id}/comments",
                data={"body": "Primero", "alignment": "neutral"})
    parent = db.session.query(Comment).filter_by(commitment_id=consultation_plan.first.id).one()
    response = client.post(f"/plan/commitments/{consultation_plan.second.id}/comments",
                           data={"body": "Respuesta", "parent_id": parent.id})
    assert response.status_code == 400  # a comment of another commitment
    response = client.post(f"/plan/commitments/{consultation_plan.first.id}/comments",
                           data={"body": "Respuesta", "parent_id": parent.id})
    assert response.status_code == 303
    reply = db.session.query(Comment).filter_by(parent_id=parent.id).one()
    assert reply.commitment_id == consultation_plan.first.id


def test_opening_the_consultation_logs_the_status_change_in_public(client, auth, db,
                                                                   consultation_plan):
    from app.models import ModerationAction

    plan = consultation_plan.plan
    plan.status = "cocreation"
    db.session.flush()
    auth.login_as(consultation_plan.admin)
    assert _open(client, plan.slug).status_code == 303
    entry = db.session.query(ModerationAction).filter_by(
        action="plan_status", target_type="plan", target_id=plan.id).one()
    assert (entry.from_status, entry.to_status, entry.public) == (
        "cocreation", "consultation", True)


def test_a_plan_in_implementation_cannot_reopen_a_consultation(client, auth, db,
                                                              consultation_plan):
    plan = consultation_plan.plan
    plan.status = "implementation"
    db.session.flush()
    count = db.session.query(Consultation).count()
    auth.login_as(consultation_plan.admin)
    assert _open(client, plan.slug).status_code == 409
    assert db.session.query(Consultation).count() == count
    assert plan.status == "implementation"


def test_an_archived_plan_takes_no_consultation_comments(client, auth, db, consultation_plan):
    from app.plans.services import make_current
    from tests.factories import PlanFactory

    make_current(PlanFactory())
    auth.login_as(consultation_plan.participant)
    response = client.post(f"/plan/commitments/{consultation_plan.first.id}/comments",
                           data={"body": "Un comentario tardío.", "alignment": "neutral"})
    assert response.status_code == 409
    assert db.session.query(Comment).filter_by(
        commitment_id=consultation_plan.first.id).count() == 0


def test_the_disposition_email_links_to_the_comment_on_base_url(client, auth, db, outbox,
                                                               consultation_plan, app):
    from tests.consultation.conftest import add_comment

    comment = add_comment(consultation_plan.first, consultation_plan.participant)
    auth.login_as(consultation_plan.moderator)
    response = client.post(f"/plan/comments/{comment.id}/disposition", data={
        "disposition": "incorporated", "response": "Se incorporó en el hito 2 del compromiso."})
    assert response.status_code == 303
    base = app.config["BASE_URL"].rstrip("/")
    link = f"{base}/plan/commitments/{consultation_plan.first.id}#comentario-{comment.id}"
    assert len(outbox) == 1 and link in outbox[0].body
