"""The forms a thread repeats per comment (reply, report) are rendered once per page and
stamped with each comment's id: every comment still gets a form of its own, pointing at it,
and a form refilled after an error is the one of its own comment."""
from __future__ import annotations

import re

from tests.factories import CommentFactory


def test_each_top_level_comment_gets_its_own_reply_form(client, auth, proposal, participant):
    first = CommentFactory(proposal_id=proposal.id)
    second = CommentFactory(proposal_id=proposal.id)
    auth.login_as(participant)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    for comment in (first, second):
        assert f'id="reply-form-{comment.id}"' in html
        assert f'hx-target="#replies-{comment.id}"' in html
        assert f'name="parent_id" value="{comment.id}"' in html
        assert f'id="comment-body-{comment.id}"' in html
    assert "987654321987" not in html  # no sentinel left behind


def test_each_comment_gets_its_own_report_form(client, auth, proposal, participant):
    comments = [CommentFactory(proposal_id=proposal.id) for _ in range(2)]
    auth.login_as(participant)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    for comment in comments:
        assert f'id="flag-c{comment.id}"' in html
        assert f'action="/comments/{comment.id}/flag"' in html
    assert html.count('name="csrf_token"') >= 4  # each form carries the page's token


def test_a_failed_reply_comes_back_refilled_under_its_own_comment_only(
        client, auth, proposal, participant):
    first = CommentFactory(proposal_id=proposal.id)
    second = CommentFactory(proposal_id=proposal.id)
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/comments",
                           data={"body": "x" * 6000, "parent_id": str(first.id)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    forms = dict(re.findall(r'id="reply-form-(\d+)".*?<textarea[^>]*>([^<]*)</textarea>', html,
                            flags=re.S))
    assert forms[str(first.id)] == "x" * 6000
    assert forms[str(second.id)] == ""
