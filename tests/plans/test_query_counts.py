"""The new public pages cost a constant number of SQL statements whatever the data."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.plans import services
from tests.bench.test_query_counts import MAX_QUERIES, queries_for
from tests.factories import MesaFactory, PlanFactory, ProposalFactory, ThemeFactory, UserFactory


def _grow(plan, count: int, admin) -> None:
    start = date(2030, 1, 1) + timedelta(days=100 * len(services.timeline(plan)))
    for index in range(count):
        theme = ThemeFactory(plan=plan)
        ProposalFactory(theme=theme)
        MesaFactory(theme=theme, plan=plan)
        services.add_phase(admin, plan, name=f"Fase {start} {index}",
                           starts_on=start + timedelta(days=3 * index),
                           ends_on=start + timedelta(days=3 * index + 1))


@pytest.mark.parametrize("path", ["/plans", "/plans/{slug}", "/timeline", "/mesas.ics",
                                  "/plans/{old}"])
def test_plan_pages_cost_the_same_queries_with_three_times_the_data(client, db, path):
    admin = UserFactory(role="admin")
    old = PlanFactory(slug="cuarto")
    plan = PlanFactory(is_current=True)
    url = path.format(slug=plan.slug, old=old.slug)
    _grow(plan, 2, admin)
    _grow(old, 2, admin)
    small = queries_for(client, url)
    _grow(plan, 4, admin)
    _grow(old, 4, admin)
    PlanFactory()
    large = queries_for(client, url)
    assert small == large
    assert large <= MAX_QUERIES
