"""A search's listing counts its matches up to a limit, so a common word costs the same
however many proposals contain it; the API's total stays exact."""
from __future__ import annotations

import pytest

from app.proposals import views
from app.proposals.queries import ProposalFilters, list_proposals
from tests.factories import ProposalFactory


@pytest.fixture
def six_matches(db, theme):
    for index in range(6):
        ProposalFactory(theme=theme, title=f"Transparencia municipal {index}", vote_count=index)
    ProposalFactory(theme=theme, title="Agua potable")


def test_a_search_counts_up_to_the_limit_and_says_there_are_more(six_matches):
    page = list_proposals(ProposalFilters(q="transparencia", per_page=2), cards=True,
                          count_at_most=4)

    assert (page.total, page.more, page.pages) == (4, True, 2)
    assert [card.vote_count for card in page.items] == [5, 4]


def test_under_the_limit_the_count_is_exact(six_matches):
    page = list_proposals(ProposalFilters(q="transparencia"), cards=True, count_at_most=6)

    assert (page.total, page.more) == (6, False)


def test_the_listing_page_says_more_than_the_limit(client, six_matches, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 4)

    page = client.get("/proposals?q=transparencia").get_data(as_text=True)

    assert "Más de 4 propuestas" in page
    assert "Agua potable" not in page


def test_the_api_total_stays_exact(client, six_matches, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 4)

    assert client.get("/api/v1/proposals?q=transparencia").get_json()["total"] == 6


@pytest.mark.parametrize("sort", ["votes", "recent", "comments"])
def test_a_common_word_lists_the_same_page_by_walking_the_listing(six_matches, monkeypatch,
                                                                  sort):
    from app.proposals import queries

    filters = ProposalFilters(q="transparencia", sort=sort, per_page=4, page=2)
    monkeypatch.setattr(queries, "COMMON_MATCHES", 10_000)
    sorted_matches = [card.id for card in list_proposals(filters, cards=True).items]
    monkeypatch.setattr(queries, "COMMON_MATCHES", 2)
    walked = [card.id for card in list_proposals(filters, cards=True).items]

    assert walked == sorted_matches and len(walked) == 2
