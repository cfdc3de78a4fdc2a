"""Per-account limits on supports and comments, with a Spanish 429 and Retry-After."""
from __future__ import annotations

import pytest

from tests.votes.live import live_app, login, make_people

pytestmark = pytest.mark.slow


@pytest.fixture
def limited_app(tmp_path):
    with live_app(tmp_path, RATELIMIT_ENABLED=True, SUPPORT_RATE_LIMIT="3/minute",
                  COMMENT_RATE_LIMIT="2/minute") as app:
        yield app


def test_supports_are_limited_per_account_not_per_room(limited_app):
    people, proposal_id = make_people(limited_app, 2)
    first, second = limited_app.test_client(), limited_app.test_client()
    login(first, people[0][1])
    login(second, people[1][1])
    url = f"/proposals/{proposal_id}/vote"
    assert [first.post(url).status_code for _ in range(3)] == [303, 303, 303]
    refused = first.post(url)
    assert refused.status_code == 429
    assert "Demasiadas solicitudes" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    # Another participant at the same address (a mesa room) is not affected.
    assert second.post(url).status_code == 303


def test_comments_are_limited_per_account(limited_app):
    people, proposal_id = make_people(limited_app, 1)
    client = limited_app.test_client()
    login(client, people[0][1])
    url = f"/proposals/{proposal_id}/comments"
    for _ in range(2):
        assert client.post(url, data={"body": "Buena idea."}).status_code == 303
    refused = client.post(url, data={"body": "Otra vez."}, headers={"HX-Request": "true"})
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
