"""Long comment threads come in pages (?comments_page=N) that work without JavaScript."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.comments import services
from app.models.base import utcnow
from tests.bench.test_query_counts import counting_queries
from tests.factories import CommentFactory, ProposalFactory


@pytest.fixture
def small_pages(app):
    saved = app.config["COMMENTS_PER_PAGE"]
    app.config["COMMENTS_PER_PAGE"] = 3
    yield 3
    app.config["COMMENTS_PER_PAGE"] = saved


@pytest.fixture
def long_thread(db):
    """Six top-level comments an hour apart (c0 oldest), a reply to each, c1 pinned."""
    proposal = ProposalFactory()
    start = utcnow() - timedelta(days=1)
    tops, replies = [], []
    for index in range(6):
        top = CommentFactory(proposal_id=proposal.id, body=f"Comentario número {index}",
                             created_at=start + timedelta(hours=index), pinned=index == 1)
        tops.append(top)
        replies.append(CommentFactory(proposal_id=proposal.id, parent_id=top.id,
                                      body=f"Respuesta número {index}",
                                      created_at=start + timedelta(hours=index, minutes=30)))
    db.session.flush()
    return proposal, tops, replies


def test_first_page_has_the_pinned_answer_then_the_most_recent_comments(db, long_thread):
    proposal, tops, replies = long_thread
    page = services.thread(proposal, 1, 3)
    assert [item.comment.id for item in page] == [tops[1].id, tops[3].id, tops[4].id, tops[5].id]
    assert [r.id for r in page[1].replies] == [replies[3].id]
    assert page.has_older and not page.has_newer


def test_second_page_has_the_older_comments_without_the_pinned_one(db, long_thread):
    proposal, tops, replies = long_thread
    page = services.thread(proposal, 2, 3)
    assert [item.comment.id for item in page] == [tops[0].id, tops[2].id]
    assert [item.replies[0].id for item in page] == [replies[0].id, replies[2].id]
    assert page.has_newer and not page.has_older


def test_whole_thread_without_a_page_size(db, long_thread):
    proposal, tops, _replies = long_thread
    assert len(services.thread(proposal)) == 6


def test_proposal_page_links_to_older_comments_and_back(client, db, long_thread, small_pages):
    proposal, _tops, _replies = long_thread
    first = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Comentario número 5" in first and "Comentario número 1" in first
    assert "Comentario número 0" not in first and "Respuesta número 3" in first
    assert f"/proposals/{proposal.id}?comments_page=2#comentarios" in first
    second = client.get(f"/proposals/{proposal.id}?comments_page=2").get_data(as_text=True)
    assert "Comentario número 0" in second and "Respuesta número 2" in second
    assert "Comentario número 5" not in second
    assert f'href="/proposals/{proposal.id}#comentarios"' in second


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999", "1e3", ""])
def test_a_nonsense_comments_page_shows_the_first_page(client, db, long_thread, small_pages,
                                                       value):
    proposal, _tops, _replies = long_thread
    response = client.get(f"/proposals/{proposal.id}?comments_page={value}")
    assert response.status_code == 200
    assert "Comentario número 5" in response.get_data(as_text=True)


def test_a_page_of_the_thread_is_one_query(app, db, long_thread):
    proposal, _tops, _replies = long_thread
    with app.test_request_context("/"):
        with counting_queries() as statements:
            services.thread(proposal, 1, 3)
    assert len(statements) == 1
