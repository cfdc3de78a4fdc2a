"""`ogp.proposal_counts` (the proposals half of `reasoned_response`) answers what a plain
count over every proposal of the plan answers, though it reads only the decided ones."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Proposal, Theme
from app.models.proposal import PROPOSAL_STATUSES
from app.transparency import ogp
from tests.factories import PlanFactory, ProposalFactory, ThemeFactory, current_plan

RESPONSES = (None, "", "   ", "Se incorpora al plan por su alcance nacional.")


def _expected(plan) -> tuple[int, int, list[int]]:
    """The rule read literally, in Python, over every proposal row."""
    of_plan = {theme.id for theme in _db.session.scalars(
        select(Theme).where(Theme.plan_id == plan.id))}
    visible = [p for p in _db.session.scalars(select(Proposal).order_by(Proposal.id))
               if p.theme_id in of_plan and not p.hidden]
    undecided = [p for p in visible if p.status in ogp.UNDECIDED]
    silent = [p for p in visible
              if p.status in ogp.DECIDED and not (p.response or "").strip()]
    waiting = sorted({p.id for p in undecided + silent})
    return len(undecided), len(silent), waiting[:ogp.EVIDENCE_SAMPLE]


def _proposals(rng: random.Random, themes, count: int, statuses=PROPOSAL_STATUSES) -> None:
    for _ in range(count):
        ProposalFactory(theme=rng.choice(themes), status=rng.choice(statuses),
                        response=rng.choice(RESPONSES), hidden=rng.random() < 0.2)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_proposal_counts_match_a_plain_count_over_every_proposal_of_the_plan(db, seed):
    rng = random.Random(seed)
    plan = current_plan()
    themes = [ThemeFactory(plan=plan) for _ in range(3)]
    other_plan_themes = [ThemeFactory(plan=PlanFactory())]
    _proposals(rng, themes, 40)
    _proposals(rng, other_plan_themes, 15)  # another plan's: counted for neither
    expected = _expected(plan)
    assert expected[0] and expected[1]  # the data exercises both counts
    assert ogp.proposal_counts(plan) == expected


def test_proposal_counts_sample_the_silent_decisions_when_nothing_waits_for_a_decision(db):
    rng = random.Random(4)
    plan = current_plan()
    themes = [ThemeFactory(plan=plan) for _ in range(2)]
    _proposals(rng, themes, 30, statuses=ogp.DECIDED)
    _proposals(rng, [ThemeFactory(plan=PlanFactory())], 10)
    expected = _expected(plan)
    assert expected[0] == 0 and expected[1] > ogp.EVIDENCE_SAMPLE
    assert ogp.proposal_counts(plan) == expected


def test_proposal_counts_are_zero_for_a_plan_without_proposals(db):
    assert ogp.proposal_counts(PlanFactory()) == (0, 0, [])
