"""`flask seed` and plan cycles: the 2018 plan is current on a fresh database, its mesas are
co-creation mesas, and seeding again never takes the mark from a newer plan."""
from __future__ import annotations

from sqlalchemy import func, select

from app.cli.reference import PLAN_SLUG, seed_reference_data
from app.models import ActionPlan, Mesa, Theme
from app.plans import services


def test_seeded_2018_plan_is_current_with_cocreation_mesas(seeded):
    plan = services.current_plan()
    assert plan.slug == PLAN_SLUG and plan.status == "cocreation"
    mesas = seeded.session.scalars(select(Mesa)).all()
    assert len(mesas) == 12
    assert {(m.kind, m.plan_id, m.sequence) for m in mesas} == {("cocreation", plan.id, 0)}


def test_seeding_again_after_a_new_plan_changes_nothing(runner, seeded, admin):
    services.create_plan(admin, slug="quinto", title="Quinto", period="2026-2028",
                         copy_themes=True)
    counts = [seeded.session.scalar(select(func.count()).select_from(model))
              for model in (ActionPlan, Theme, Mesa)]
    assert seed_reference_data() == {"plans": 0, "themes": 0, "mesas": 0}
    assert [seeded.session.scalar(select(func.count()).select_from(model))
            for model in (ActionPlan, Theme, Mesa)] == counts == [3, 29, 12]
    assert services.current_plan().slug == "quinto"
