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


def test_the_mesas_page_shows_a_mesas_first_documents_and_links_the_rest(client, db):
    from datetime import timedelta

    from app.models.base import utcnow
    from app.repository.services import MESA_DOCUMENTS

    mesa = MesaFactory()
    first_day = utcnow().date() - timedelta(days=30)
    filed = [DocumentFactory(plan=mesa.theme.plan, mesa=mesa, title=f"Documento {n}",
                             document_date=first_day + timedelta(days=n))
             for n in range(MESA_DOCUMENTS + 1)]
    db.session.commit()
    html = client.get("/mesas").get_data(as_text=True)
    assert all(document.title in html for document in filed[:MESA_DOCUMENTS])
    assert filed[-1].title not in html
    assert f'href="/repository?mesa={mesa.id}"' in html
