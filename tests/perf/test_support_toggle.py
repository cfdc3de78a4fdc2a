"""The htmx support toggle answers from what its transaction wrote, in a few statements."""
from __future__ import annotations

from tests.bench.test_query_counts import counting_queries
from tests.factories import ProposalFactory, UserFactory

HTMX = {"HX-Request": "true"}


def test_toggle_fragment_shows_the_new_state_with_few_queries(client, db, auth):
    proposal = ProposalFactory(vote_count=7)
    auth.login_as(UserFactory())
    with counting_queries() as statements:
        supported = client.post(f"/proposals/{proposal.id}/vote", headers=HTMX)
    html = supported.get_data(as_text=True)
    assert supported.status_code == 200
    assert '<span class="count-number">8</span>' in html
    assert 'aria-pressed="true"' in html and 'value="withdraw"' in html
    assert len(statements) <= 6

    withdrawn = client.post(f"/proposals/{proposal.id}/vote", headers=HTMX).get_data(as_text=True)
    assert '<span class="count-number">7</span>' in withdrawn
    assert 'aria-pressed="false"' in withdrawn and 'value="support"' in withdrawn
