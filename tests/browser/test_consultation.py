"""The public consultation in the browser, with JavaScript on and off (`any_page`): a
participant comments a commitment, a moderator answers it with a disposition, and the
answer shows under the comment and in the public report."""
from __future__ import annotations

import uuid

from tests.browser.conftest import sign_in_as_moderator, sign_out, sign_up


def _open_consultation_on_a_commitment(server) -> int:
    """A consultation open now on the demo plan's latest version; a commitment's id."""

    def arrange():
        from datetime import timedelta

        from sqlalchemy import select

        from app.consultation.services import latest_consultation
        from app.extensions import db
        from app.models import ActionPlan, Commitment, Consultation, PlanVersion
        from app.models.base import utcnow

        plan = db.session.scalar(select(ActionPlan).order_by(ActionPlan.id).limit(1))
        current = latest_consultation(plan.id)
        if current is None or not current.is_open():
            version = db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id)
                                        .order_by(PlanVersion.number.desc()).limit(1))
            now = utcnow()
            db.session.add(Consultation(plan_id=plan.id, version_id=version.id,
                                        opens_at=now - timedelta(hours=1),
                                        closes_at=now + timedelta(days=7)))
            plan.status = "consultation"
            db.session.commit()
        return db.session.scalar(select(Commitment.id).where(Commitment.plan_id == plan.id)
                                 .order_by(Commitment.number).limit(1))

    return server.query(arrange)


def test_participant_comments_a_commitment_and_a_moderator_answers_it(any_page, live_server):
    commitment_id = _open_consultation_on_a_commitment(live_server)
    page = any_page
    sign_up(page)
    page.goto("/plan")
    page.locator(f"main a[href$='/plan/commitments/{commitment_id}']").first.click()
    page.wait_for_load_state()
    text = f"Que publiquen también los contratos firmados {uuid.uuid4().hex[:6]}."
    form = page.locator(f"form[action$='/plan/commitments/{commitment_id}/comments']"
                        ":not(:has([name=parent_id]))").first
    form.locator("[name=body]").fill(text)
    form.locator("input[name=alignment][value=in_favor]").check()
    form.locator("button[type=submit]").click()
    page.locator("main li.comment-item", has_text=text).first.wait_for()
    sign_out(page)

    sign_in_as_moderator(page)
    page.goto(f"/plan/commitments/{commitment_id}")
    comment = page.locator("main li.comment-item", has_text=text).first
    comment.locator("details.disposition-box > summary").first.click()
    answer = comment.locator("form.disposition-form").first
    answer.locator("input[name=disposition][value=partially_incorporated]").check()
    answer.locator("[name=response]").fill("Corta")
    answer.locator("button[type=submit]").click()
    page.locator("main [role=alert]", has_text="al menos 20 caracteres").first.wait_for()
    comment = page.locator("main li.comment-item", has_text=text).first
    answer = comment.locator("form.disposition-form").first
    assert answer.locator("[name=response]").input_value() == "Corta"  # the text is kept
    response = "Se incorpora en parte: el hito 2 publicará los contratos firmados."
    answer.locator("[name=response]").fill(response)
    answer.locator("button[type=submit]").click()
    page.locator("main .disposition-response", has_text=response).first.wait_for()
    assert "Incorporado parcialmente" in comment.inner_text()

    page.goto(f"/plan/consultation?commitment={commitment_id}")
    report = page.locator("main").inner_text()
    assert text in report and response in report
