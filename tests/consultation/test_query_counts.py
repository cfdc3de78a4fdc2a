"""The consultation's public pages cost the same queries with three times the comments."""
from __future__ import annotations

import pytest

from tests.bench.test_query_counts import queries_for
from tests.consultation.conftest import add_comment
from tests.factories import UserFactory

MAX_QUERIES = 6  # the bench goal (bench/run.py)
# The commitment page also shows the implementation: stewards, follows, and the timeline of
# progress updates (app/tracking/views.py page_context).
MAX_COMMITMENT_PAGE_QUERIES = 10


def _add_comments(commitment, count: int) -> None:
    for index in range(count):
        parent = add_comment(commitment, UserFactory(), body=f"Comentario {index}",
                             disposition="incorporated" if index % 2 else None,
                             disposition_response="Se incorporó en el hito dos." if index % 2
                             else None)
        add_comment(commitment, UserFactory(), body="Respuesta", parent_id=parent.id)


@pytest.mark.parametrize("path", ["/plan/commitments/{id}", "/plan/consultation",
                                  "/plan/consultation?commitment={id}&disposition=pending",
                                  "/api/v1/plan/commitments/{id}"])
def test_consultation_pages_cost_the_same_queries_with_three_times_the_comments(
        client, db, consultation_plan, path):
    commitment = consultation_plan.first
    url = path.format(id=commitment.id)
    _add_comments(commitment, 5)
    small = queries_for(client, url)
    _add_comments(commitment, 10)
    large = queries_for(client, url)
    assert small == large
    limit = MAX_COMMITMENT_PAGE_QUERIES if path.startswith("/plan/commitments") else MAX_QUERIES
    assert large <= limit


def test_moderation_queue_costs_the_same_with_more_consultation_comments(
        client, auth, db, consultation_plan):
    auth.login_as(consultation_plan.moderator)
    _add_comments(consultation_plan.first, 3)
    small = queries_for(client, "/moderation")
    _add_comments(consultation_plan.second, 9)
    assert queries_for(client, "/moderation") == small
