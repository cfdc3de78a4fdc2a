"""`flask demo`'s moderation content: accepted proposals with milestones and a version."""
from __future__ import annotations

from sqlalchemy import select

from app.cli.demo import add_demo_users
from app.datasets import demo_plan as demo_data
from app.extensions import db as _db
from app.models import PlanVersion, Proposal, Theme
from app.plan.serializers import plan_document
from app.plan.services import current_plan
from tests.factories import ProposalFactory


def test_demo_accepts_proposals_with_reasoned_responses_and_milestones(seeded):
    add_demo_users()
    from app.plans.services import current_plan_id_subquery

    themes = list(_db.session.scalars(select(Theme).where(
        Theme.plan_id == current_plan_id_subquery()).order_by(Theme.position)))
    for index in range(8):
        ProposalFactory(theme=themes[index % 3], vote_count=index * 10)
    demo_data.add_demo_content()
    document = plan_document(current_plan())
    assert len(document["commitments"]) == 3
    assert all(len(c["milestones"]) == 3 for c in document["commitments"])
    assert [c["number"] for c in document["commitments"]] == [1, 2, 3]
    decided = _db.session.scalars(select(Proposal).where(
        Proposal.status.in_(("accepted", "merged", "rejected")))).all()
    assert all(len(p.response) >= 20 for p in decided)
    assert {p.status for p in decided} == {"accepted", "merged", "rejected"}
    assert _db.session.scalar(select(PlanVersion.label)) == "Borrador v1"
    demo_data.add_demo_content()  # a second run adds nothing
    assert len(plan_document(current_plan())["commitments"]) == 3
