"""Posting a comment with htmx answers from what its transaction wrote, in a few statements."""
from __future__ import annotations

from app.extensions import db
from app.models import Comment
from tests.bench.test_query_counts import counting_queries
from tests.factories import ProposalFactory, UserFactory

HTMX = {"HX-Request": "true"}


def test_comment_fragment_shows_the_new_comment_with_few_queries(client, auth):
    proposal = ProposalFactory()
    author = UserFactory(display_name="Ana Pérez")
    auth.login_as(author)
    with counting_queries() as statements:
        response = client.post(f"/proposals/{proposal.id}/comments", headers=HTMX,
                               data={"body": "Propongo **datos abiertos**.",
                                     "alignment": "in_favor"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    comment = db.session.scalar(db.select(Comment).where(Comment.proposal_id == proposal.id))
    assert f'id="comentario-{comment.id}"' in html
    assert "Ana Pérez" in html and "<strong>datos abiertos</strong>" in html
    assert len(statements) <= 6
