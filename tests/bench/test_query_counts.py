"""A page costs a constant number of SQL statements, whatever the amount of data (<= 6)."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db as _db
from tests.factories import CommentFactory, ProposalFactory, ThemeFactory, UserFactory

MAX_QUERIES = 6
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


@contextmanager
def counting_queries():
    statements: list[str] = []

    def on_execute(_conn, _cursor, statement, *_args):
        if not TRANSACTION_CONTROL.match(statement):
            statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(_db.engine, "before_cursor_execute", on_execute)


def queries_for(client, path: str) -> int:
    client.get(path)  # warm: first-request work (caches, translations) is not per page
    with counting_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


def _add_proposals(theme, count: int) -> None:
    for index in range(count):
        proposal = ProposalFactory(theme=theme, author=UserFactory(), vote_count=index)
        proposal.comment_count = index % 3


@pytest.mark.parametrize("path", ["/", "/themes", "/themes/{slug}",
                                  "/themes/{slug}?sort=recent",
                                  "/themes/{slug}?sort=comments&page=2", "/proposals"])
def test_listing_costs_the_same_queries_with_three_times_the_data(client, db, path):
    theme = ThemeFactory()
    _add_proposals(theme, 25)
    url = path.format(slug=theme.slug)
    small = queries_for(client, url)

    _add_proposals(theme, 50)
    large = queries_for(client, url)

    assert small == large
    assert large <= MAX_QUERIES


def test_proposal_page_costs_the_same_queries_with_many_comments(client, db):
    proposal = ProposalFactory()
    for _ in range(3):
        CommentFactory(proposal_id=proposal.id, author_id=UserFactory().id)
    url = f"/proposals/{proposal.id}"
    small = queries_for(client, url)

    for _ in range(60):
        CommentFactory(proposal_id=proposal.id, author_id=UserFactory().id)
    large = queries_for(client, url)

    assert small == large
    assert large <= MAX_QUERIES
