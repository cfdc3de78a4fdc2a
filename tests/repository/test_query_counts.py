"""The repository's public pages cost a constant number of SQL statements."""
from __future__ import annotations

import pytest

from tests.bench.test_query_counts import MAX_QUERIES, queries_for
from tests.factories import DocumentFactory, MesaFactory


def _add_documents(count: int) -> None:
    for index in range(count):
        mesa = MesaFactory()
        DocumentFactory(plan=mesa.theme.plan, mesa=mesa,
                        type=("agenda", "minutes", "attendance")[index % 3])


@pytest.mark.parametrize("path", ["/repository", "/repository?type=minutes",
                                  "/api/v1/documents", "/mesas"])
def test_listing_costs_the_same_queries_with_three_times_the_documents(client, db, path):
    _add_documents(5)
    small = queries_for(client, path)
    _add_documents(10)
    large = queries_for(client, path)
    assert small == large
    assert large <= MAX_QUERIES
