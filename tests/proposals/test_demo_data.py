"""`flask demo` adds about ten Spanish proposals per theme, once."""
from __future__ import annotations

from sqlalchemy import func, select

from app.cli.demo import add_demo_users
from app.datasets.demo_proposals import add_demo_content
from app.models import Proposal


def test_demo_adds_ten_proposals_in_each_of_the_12_themes_once(seeded):
    add_demo_users()
    assert add_demo_content() == 120
    per_theme = dict(seeded.session.execute(
        select(Proposal.theme_id, func.count(Proposal.id)).group_by(Proposal.theme_id)).all())
    assert len(per_theme) == 12 and set(per_theme.values()) == {10}
    proposal = seeded.session.scalars(select(Proposal)).first()
    assert proposal.problem and proposal.cause and proposal.contribution
    assert proposal.ogp_values and proposal.lead_institution
    assert "<strong>" in proposal.description_html
    assert add_demo_content() == 0


def test_demo_command_runs(runner, seeded):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert seeded.session.scalar(select(func.count(Proposal.id))) == 120
