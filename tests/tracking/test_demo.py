"""`flask seed` + `flask demo` make the tracker alive: the 3rd plan's 22 commitments with
stewards, progress and updates."""
from __future__ import annotations

from sqlalchemy import func, select

from app.models import ActionPlan, Commitment, ProgressUpdate


def test_demo_gives_the_third_plan_22_commitments_with_progress_and_updates(runner, client,
                                                                          db):
    assert runner.invoke(args=["seed"]).exit_code == 0
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.slug == "3er-plan-2016-2018"))
    commitments = db.session.scalars(
        select(Commitment).where(Commitment.plan_id == plan.id)).all()
    assert len(commitments) == 22
    assert all(c.stewards for c in commitments)
    assert sum(c.progress > 0 for c in commitments) >= 15
    assert db.session.scalar(select(func.count(ProgressUpdate.id))) >= 30
    items = client.get("/api/v1/tracking?plan=3er-plan-2016-2018").get_json()["items"]
    assert {item["completion"] for item in items} == {
        "not_started", "limited", "substantial", "complete"}
    page = client.get("/tracking").get_data(as_text=True)
    assert "Presupuesto abierto y ciudadano" in page
    # Running the demo again adds nothing to the plan.
    runner.invoke(args=["demo"])
    assert db.session.scalar(select(func.count(Commitment.id)).where(
        Commitment.plan_id == plan.id)) == 22
