"""POST /proposals/<id>/vote: a fragment for htmx, a 303 back otherwise, a clear refusal."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from app.models.base import utcnow
from tests.factories import CommentFactory, ProposalFactory, ThemeFactory, UserFactory

HTMX = {"HX-Request": "true"}


def _count(proposal) -> int:
    from app.extensions import db

    db.session.refresh(proposal)
    return proposal.vote_count


def test_anonymous_visitors_are_sent_to_sign_in(client, proposal):
    response = client.post(f"/proposals/{proposal.id}/vote")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert _count(proposal) == 0


def test_unknown_proposal_is_404(client, auth, participant):
    auth.login_as(participant)
    assert client.post("/proposals/999999/vote").status_code == 404


def test_hidden_proposal_is_404_for_participants(client, auth, participant):
    auth.login_as(participant)
    proposal = ProposalFactory(hidden=True, hidden_reason="spam")
    assert client.post(f"/proposals/{proposal.id}/vote").status_code == 404


def test_without_javascript_redirects_back_to_the_page(client, auth, proposal, participant):
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/vote",
                           headers={"Referer": "http://localhost/themes/x?sort=recent"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/themes/x?sort=recent"
    assert _count(proposal) == 1


def test_foreign_referrer_falls_back_to_the_proposal(client, auth, proposal, participant):
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/vote",
                           headers={"Referer": "https://evil.example/phish"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/proposals/{proposal.id}"


def test_htmx_gets_only_the_button_fragment(client, auth, proposal, participant):
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/vote", headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert f'id="vote-box-{proposal.id}"' in html
    assert 'aria-pressed="true"' in html
    assert 'aria-live="polite"' in html
    assert '<span class="count-number">1</span> apoyo' in html
    assert 'value="withdraw"' in html
    html = client.post(f"/proposals/{proposal.id}/vote", headers=HTMX).get_data(as_text=True)
    assert 'aria-pressed="false"' in html
    assert '<span class="count-number">0</span> apoyos' in html


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_closed_voting_window_is_409_with_a_message(client, auth, participant, headers):
    now = utcnow()
    theme = ThemeFactory(voting_open_at=now - timedelta(days=9),
                         voting_close_at=now - timedelta(days=1))
    proposal = ProposalFactory(theme=theme)
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/vote", headers=headers)
    assert response.status_code == 409
    assert "La votación de esta temática ya cerró." in response.get_data(as_text=True)
    assert _count(proposal) == 0


def test_closed_proposal_is_409(client, auth, participant):
    proposal = ProposalFactory(status="accepted")
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/vote")
    assert response.status_code == 409
    assert "ya no está abierta" in response.get_data(as_text=True)


def test_own_proposal_is_403(client, auth, proposal):
    auth.login_as(proposal.author)
    assert client.post(f"/proposals/{proposal.id}/vote").status_code == 403


def test_blocked_account_is_403(client, auth, proposal, db):
    user = UserFactory()
    auth.login_as(user)
    user.blocked_reason = "spam"
    db.session.flush()
    assert client.post(f"/proposals/{proposal.id}/vote").status_code == 403


def test_detail_page_shows_a_real_form_with_a_button(client, auth, proposal, participant):
    auth.login_as(participant)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'action="/proposals/{proposal.id}/vote"' in html
    assert 'aria-pressed="false"' in html
    assert 'name="csrf_token"' in html


def test_signed_out_visitors_see_the_count_and_a_sign_in_link(client, proposal):
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Inicie sesión para apoyar" in html
    assert f'id="vote-count-{proposal.id}"' in html


def _queries(app, client, url):
    from app.extensions import db

    statements = []
    engine = db.engine

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_detail_page_costs_the_same_queries_for_any_number_of_comments(app, client, auth, db):
    auth.login_as(UserFactory())
    few, many = ProposalFactory(), ProposalFactory()
    for proposal, count in ((few, 1), (many, 8)):
        for _ in range(count):
            parent = CommentFactory(proposal_id=proposal.id)
            CommentFactory(proposal_id=proposal.id, parent_id=parent.id,
                           author_id=UserFactory(role="public_servant").id)
    db.session.flush()
    assert _queries(app, client, f"/proposals/{few.id}") == \
        _queries(app, client, f"/proposals/{many.id}")


def test_at_the_theme_limit_the_disabled_button_says_why(client, auth, participant):
    theme = ThemeFactory(max_supports_per_user=1)
    given, other = ProposalFactory.create_batch(2, theme=theme)
    auth.login_as(participant)
    body = client.post(f"/proposals/{given.id}/vote", headers=HTMX).get_data(as_text=True)
    assert "disabled" not in body  # the support just given can be withdrawn
    html = client.get(f"/proposals/{other.id}").get_data(as_text=True)
    button = html[html.index(f'id="vote-button-{other.id}"'):]
    button = button[:button.index("</button>")]
    assert "disabled" in button and f"vote-why-{other.id}" in button
    assert "Ya usó sus 1 apoyos en esta temática" in html
