"""Every number a person sees is what they can read, and every action shows its result at
once: with htmx (out-of-band swaps) and without JavaScript (the page after the redirect)."""
from __future__ import annotations

import re

import pytest

from app.comments.services import delete_comment, post_comment
from app.extensions import db as _db
from app.moderation.services import hide_content, restore_content
from app.proposals.queries import theme_summaries
from tests.factories import (
    CommentFactory,
    ModeratorFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def request_context(app, db):
    with app.test_request_context():
        yield


def _fresh(obj):
    _db.session.refresh(obj)
    return obj


def _heading_count(html: str, proposal_id: int) -> str:
    return re.search(rf'id="comments-heading-count-{proposal_id}"[^>]*>\((\d+)\)', html).group(1)


def _api_comments(client, proposal_id: int) -> tuple[int, int]:
    body = client.get(f"/api/v1/proposals/{proposal_id}").get_json()
    return body["comment_count"], len(body["comments"])


# --- comments: the count is what the public can read ------------------------------------

def test_a_hidden_comment_leaves_the_public_count_and_a_restored_one_returns(
        client, db, request_context):
    proposal = ProposalFactory()
    moderator = ModeratorFactory()
    comments = [post_comment(UserFactory(), proposal, f"Comentario {n}") for n in range(6)]
    assert _api_comments(client, proposal.id) == (6, 6)
    hide_content(moderator, "comment", comments[0].id, "Publicidad no solicitada.")
    assert _fresh(proposal).comment_count == 5
    assert _api_comments(client, proposal.id) == (5, 5)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert _heading_count(html, proposal.id) == "5"
    restore_content(moderator, "comment", comments[0].id)
    assert _api_comments(client, proposal.id) == (6, 6)


def test_hiding_twice_or_deleting_a_hidden_comment_moves_the_count_once(db, request_context):
    proposal = ProposalFactory()
    moderator = ModeratorFactory()
    author = UserFactory()
    comment = post_comment(author, proposal, "Un comentario")
    post_comment(UserFactory(), proposal, "Otro comentario")
    hide_content(moderator, "comment", comment.id, "Lenguaje ofensivo.")
    with pytest.raises(Exception):  # noqa: B017 - already hidden, no open reports: Conflict
        hide_content(moderator, "comment", comment.id, "Otra vez.")
    delete_comment(author, comment)  # its author deletes it while hidden
    assert _fresh(proposal).comment_count == 1
    other = post_comment(author, proposal, "Tercero")
    delete_comment(author, other)
    assert _fresh(proposal).comment_count == 1


def test_hidden_spam_does_not_lift_a_proposal_in_most_commented(client, db, request_context):
    theme = ThemeFactory()
    moderator = ModeratorFactory()
    talked = ProposalFactory(theme=theme, title="Propuesta conversada")
    spammed = ProposalFactory(theme=theme, title="Propuesta con spam")
    for n in range(2):
        CommentFactory(proposal_id=talked.id, body=f"Aporte {n}")
    spam = [post_comment(UserFactory(), spammed, f"Compre ya {n}") for n in range(4)]
    for comment in spam:
        hide_content(moderator, "comment", comment.id, "Spam.")
    html = client.get(f"/themes/{theme.slug}?sort=comments").get_data(as_text=True)
    assert html.index("Propuesta conversada") < html.index("Propuesta con spam")
    items = client.get(f"/api/v1/proposals?theme={theme.slug}&sort=comments").get_json()["items"]
    assert [item["id"] for item in items] == [talked.id, spammed.id]
    assert items[1]["comment_count"] == 0


# --- theme totals: exact at once ---------------------------------------------------------

def _summary(theme):
    return next((s.proposal_count, s.vote_count) for s in theme_summaries()
                if s.theme.id == theme.id)


def test_theme_totals_follow_hiding_restoring_and_moving_a_proposal(client, db, request_context):
    from app.proposals.services import revise_proposal

    theme, other = ThemeFactory(), ThemeFactory()
    moderator = ModeratorFactory()
    ProposalFactory(theme=theme, vote_count=2)
    proposal = ProposalFactory(theme=theme, vote_count=5)
    assert _summary(theme) == (2, 7)
    hide_content(moderator, "proposal", proposal.id, "Contenido duplicado.")
    assert _summary(theme) == (1, 2)
    api = {item["slug"]: item for item in client.get("/api/v1/themes").get_json()["items"]}
    assert (api[theme.slug]["proposal_count"], api[theme.slug]["vote_count"]) == (1, 2)
    restore_content(moderator, "proposal", proposal.id)
    assert _summary(theme) == (2, 7)
    revise_proposal(proposal, moderator, {
        "theme": other, "title": proposal.title, "problem": proposal.problem,
        "description": proposal.description, "ogp_values": proposal.ogp_values})
    assert (_summary(theme), _summary(other)) == ((1, 2), (1, 5))


def test_a_decision_or_a_merge_keeps_the_theme_totals(db, request_context):
    from app.moderation.services import decide_proposal

    theme = ThemeFactory()
    moderator = ModeratorFactory()
    target = ProposalFactory(theme=theme, vote_count=4)
    duplicate = ProposalFactory(theme=theme, vote_count=3)
    decide_proposal(moderator, duplicate, "merged", "Se fusiona con la propuesta principal.",
                    merge_into=target.id)
    decide_proposal(moderator, target, "rejected", "No corresponde a esta temática del plan.")
    assert _summary(theme) == (2, 7)


def test_a_support_moves_the_theme_total_of_a_visible_proposal_only(db, request_context):
    from app.votes.services import toggle_support

    theme = ThemeFactory()
    visible = ProposalFactory(theme=theme)
    hidden = ProposalFactory(theme=theme)
    participant = UserFactory()
    toggle_support(participant, visible)
    assert _summary(theme) == (2, 1)
    hide_content(ModeratorFactory(), "proposal", hidden.id, "Spam.")
    assert _summary(theme) == (1, 1)
    toggle_support(participant, visible)  # withdrawn
    assert _summary(theme) == (1, 0)


# --- htmx fragments refresh every number they changed ------------------------------------

def test_htmx_reply_refreshes_both_comment_counts_of_the_page(client, auth, db):
    proposal = ProposalFactory()
    parent = CommentFactory(proposal_id=proposal.id)
    auth.login_as(UserFactory())
    response = client.post(f"/proposals/{proposal.id}/comments", headers=HTMX,
                           data={"body": "Una respuesta", "parent_id": parent.id})
    body = response.get_data(as_text=True)
    assert re.search(rf'id="comments-heading-count-{proposal.id}" hx-swap-oob="true">\(2\)',
                     body)
    assert re.search(rf'id="comment-count-{proposal.id}" hx-swap-oob="true">.*>2</span> '
                     r"comentarios", body)


def test_without_javascript_the_page_after_a_reply_shows_the_new_count(client, auth, db):
    proposal = ProposalFactory()
    parent = CommentFactory(proposal_id=proposal.id)
    auth.login_as(UserFactory())
    client.post(f"/proposals/{proposal.id}/comments",
                data={"body": "Una respuesta", "parent_id": parent.id})
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert _heading_count(html, proposal.id) == "2"


def test_htmx_delete_and_moderation_hide_refresh_the_comment_counts(client, auth, db):
    proposal = ProposalFactory()
    author = UserFactory()
    mine = CommentFactory(proposal_id=proposal.id, author_id=author.id)
    other = CommentFactory(proposal_id=proposal.id)
    auth.login_as(author)
    body = client.post(f"/comments/{mine.id}/delete", headers=HTMX).get_data(as_text=True)
    assert re.search(rf'id="comments-heading-count-{proposal.id}" hx-swap-oob="true">\(1\)',
                     body)
    auth.logout()
    auth.login_as(ModeratorFactory())
    body = client.post(f"/moderation/comments/{other.id}/hide", headers=HTMX,
                       data={"reason": "Lenguaje ofensivo."}).get_data(as_text=True)
    assert re.search(rf'id="comments-heading-count-{proposal.id}" hx-swap-oob="true">\(0\)',
                     body)
    body = client.post(f"/moderation/comments/{other.id}/restore",
                       headers=HTMX).get_data(as_text=True)
    assert re.search(rf'id="comments-heading-count-{proposal.id}" hx-swap-oob="true">\(1\)',
                     body)
