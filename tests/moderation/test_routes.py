"""Moderation over HTTP: permissions, flags, auto-hide, decisions and their emails."""
from __future__ import annotations

import pytest
from flask import render_template
from sqlalchemy import func, select

from app.models import Flag, ModerationAction
from tests.factories import (
    CommentFactory,
    EstablishedUserFactory,
    ModeratorFactory,
    ProposalFactory,
    UserFactory,
)
from tests.moderation.conftest import support

RESPONSE = "Se acepta porque responde a un problema público priorizado en la mesa."
# (method, url template); {p} a proposal id, {c} a comment id, {u} a user id.
MODERATOR_ROUTES = [
    ("get", "/moderation"),
    ("post", "/moderation/proposals/{p}/decision"),
    ("post", "/moderation/proposals/{p}/hide"),
    ("post", "/moderation/comments/{c}/hide"),
    ("post", "/moderation/proposals/{p}/restore"),
    ("post", "/moderation/comments/{c}/restore"),
    ("post", "/moderation/proposals/{p}/dismiss"),
    ("post", "/moderation/comments/{c}/dismiss"),
    ("post", "/moderation/users/{u}/block"),
    ("post", "/moderation/users/{u}/unblock"),
    ("get", "/plan/commitments/1/edit"),
    ("post", "/plan/commitments/1/move"),
    ("post", "/plan/commitments/1/milestones"),
    ("post", "/plan/milestones/1/edit"),
    ("post", "/plan/milestones/1/delete"),
    ("post", "/plan/versions"),
]


def _url(template, comment):
    return template.format(p=comment.proposal_id, c=comment.id, u=comment.author_id)


@pytest.mark.parametrize(("method", "url"), MODERATOR_ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, method, url):
    response = getattr(client, method)(_url(url, CommentFactory()), data={"reason": "x"})
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "url"), MODERATOR_ROUTES)
@pytest.mark.parametrize("role", ["participant", "public_servant"])
def test_participants_may_not_moderate(client, auth, db, method, url, role):
    comment = CommentFactory()
    auth.login_as(UserFactory(role=role))
    response = getattr(client, method)(_url(url, comment), data={
        "reason": "spam", "status": "rejected", "response": RESPONSE})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(ModerationAction.id))) == 0


def test_unblocking_is_for_admins_only(client, auth, db):
    user = UserFactory(blocked_reason="Publicidad repetida")
    auth.login_as(ModeratorFactory())
    assert client.post(f"/moderation/users/{user.id}/unblock").status_code == 403
    auth.logout()
    auth.login_as(ModeratorFactory(role="admin"))
    assert client.post(f"/moderation/users/{user.id}/unblock").status_code == 303
    db.session.refresh(user)
    assert not user.is_blocked


def test_a_blocked_participant_can_no_longer_take_part(client, auth, db):
    user = UserFactory()
    auth.login_as(ModeratorFactory())
    response = client.post(f"/moderation/users/{user.id}/block",
                           data={"reason": "Spam", "confirm": "yes"})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.is_blocked and not user.can_participate()


def test_blocking_needs_a_reason(client, auth, db):
    user = UserFactory()
    auth.login_as(ModeratorFactory())
    assert client.post(f"/moderation/users/{user.id}/block", data={"reason": " "}
                       ).status_code == 400
    db.session.refresh(user)
    assert not user.is_blocked


def _flag(client, auth, user, url, reason="spam"):
    auth.login_as(user)
    response = client.post(url, data={"reason": reason, "details": "Publicidad"})
    auth.logout()
    return response


def test_third_distinct_flag_hides_a_proposal_and_tells_its_author(client, auth, db, outbox):
    proposal = ProposalFactory()
    url = f"/proposals/{proposal.id}/flag"
    for _ in range(2):
        assert _flag(client, auth, EstablishedUserFactory(), url).status_code == 303
    assert not proposal.hidden
    assert outbox == []
    assert _flag(client, auth, EstablishedUserFactory(), url, "offensive").status_code == 303
    db.session.refresh(proposal)
    assert proposal.hidden
    assert "3 reportes" in proposal.hidden_reason
    [message] = outbox
    assert message.to == proposal.author.email
    assert "Motivo" in message.body
    assert client.get(f"/proposals/{proposal.id}").status_code == 404


def test_third_distinct_flag_hides_a_comment(client, auth, db, outbox):
    comment = CommentFactory()
    for _ in range(3):
        response = _flag(client, auth, EstablishedUserFactory(), f"/comments/{comment.id}/flag")
        assert response.status_code == 303
    db.session.refresh(comment)
    assert comment.hidden
    assert len(outbox) == 1


def test_a_participant_cannot_flag_twice(client, auth, db):
    proposal, user = ProposalFactory(), UserFactory()
    url = f"/proposals/{proposal.id}/flag"
    assert _flag(client, auth, user, url).status_code == 303
    assert _flag(client, auth, user, url).status_code == 409
    assert db.session.scalar(select(func.count(Flag.id))) == 1


def test_a_flag_needs_a_known_reason(client, auth, db):
    proposal = ProposalFactory()
    assert _flag(client, auth, UserFactory(), f"/proposals/{proposal.id}/flag", "boring"
                 ).status_code == 400


def test_flagging_unknown_content_is_404(client, auth, db):
    assert _flag(client, auth, UserFactory(), "/proposals/999999/flag").status_code == 404


def test_flag_over_htmx_returns_a_fragment(client, auth, db):
    proposal = ProposalFactory()
    auth.login_as(UserFactory())
    response = client.post(f"/proposals/{proposal.id}/flag", data={"reason": "spam"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)


def test_dismissing_flags_keeps_the_content_visible(client, auth, db):
    proposal = ProposalFactory()
    for _ in range(3):
        _flag(client, auth, EstablishedUserFactory(), f"/proposals/{proposal.id}/flag")
    auth.login_as(ModeratorFactory())
    assert client.post(f"/moderation/proposals/{proposal.id}/restore").status_code == 303
    db.session.refresh(proposal)
    assert not proposal.hidden
    assert db.session.scalar(select(func.count(Flag.id)).where(Flag.resolved_at.is_(None))) == 0


def test_hide_needs_a_reason_and_restore_brings_it_back(client, auth, db):
    proposal = ProposalFactory()
    auth.login_as(ModeratorFactory())
    url = f"/moderation/proposals/{proposal.id}"
    assert client.post(url + "/hide", data={"reason": ""}).status_code == 400
    assert client.post(url + "/hide", data={"reason": "Datos personales"}).status_code == 303
    db.session.refresh(proposal)
    assert proposal.hidden and proposal.hidden_reason == "Datos personales"
    assert client.post(url + "/restore").status_code == 303
    db.session.refresh(proposal)
    assert not proposal.hidden


def test_decision_emails_the_author_and_every_supporter(client, auth, db, outbox):
    proposal = ProposalFactory()
    supporters = [UserFactory() for _ in range(3)]
    quiet = UserFactory(notify_decisions=False)
    support(proposal, *supporters, quiet)
    auth.login_as(ModeratorFactory())
    response = client.post(f"/moderation/proposals/{proposal.id}/decision",
                           data={"status": "accepted", "response": RESPONSE})
    assert response.status_code == 303
    recipients = sorted(message.to for message in outbox)
    assert recipients == sorted([proposal.author.email] + [u.email for u in supporters])
    assert all(RESPONSE in message.body for message in outbox)


def test_a_refused_decision_sends_nothing(client, auth, db, outbox):
    proposal = ProposalFactory()
    auth.login_as(ModeratorFactory())
    response = client.post(f"/moderation/proposals/{proposal.id}/decision",
                           data={"status": "rejected", "response": "corta"})
    assert response.status_code == 400
    assert "20 caracteres" in response.get_data(as_text=True)
    assert outbox == []


def test_merge_over_http_records_traceability(client, auth, db, outbox):
    target, duplicate = ProposalFactory(), ProposalFactory()
    auth.login_as(ModeratorFactory())
    client.post(f"/moderation/proposals/{target.id}/decision",
                data={"status": "accepted", "response": RESPONSE})
    response = client.post(f"/moderation/proposals/{duplicate.id}/decision",
                           data={"status": "merged", "response": RESPONSE,
                                 "merge_into": str(target.id)})
    assert response.status_code == 303
    plan = client.get("/plan/export.json").get_json()
    [commitment] = plan["commitments"]
    assert commitment["source_proposals"] == sorted([target.id, duplicate.id])


def test_queue_lists_flagged_content_and_proposals_by_supports(client, auth, db):
    flagged = ProposalFactory(title="Propuesta reportada por spam")
    low = ProposalFactory(title="Pocos apoyos", vote_count=1)
    high = ProposalFactory(title="Muchos apoyos", vote_count=50)
    _flag(client, auth, UserFactory(), f"/proposals/{flagged.id}/flag")
    auth.login_as(ModeratorFactory())
    page = client.get("/moderation").get_data(as_text=True)
    assert "Propuesta reportada por spam" in page
    assert page.index("Muchos apoyos") < page.index("Pocos apoyos")
    filtered = client.get(f"/moderation?theme={high.theme.slug}").get_data(as_text=True)
    assert "Muchos apoyos" in filtered and "Pocos apoyos" not in filtered
    assert low.status == "open"
    # A mistyped filter shows the default queue (an HTML page never errs on its query).
    fallback = client.get("/moderation?status=nope&page=abc&theme=nada")
    assert fallback.status_code == 200 and "Pocos apoyos" in fallback.get_data(as_text=True)


def _render_as(app, user, template, **context):
    from flask_login import login_user

    with app.test_request_context():
        login_user(user)
        return render_template(template, **context)


def test_proposal_partials_show_tools_to_moderators_only(app, db):
    proposal = ProposalFactory()
    html = _render_as(app, UserFactory(), "moderation/_proposal_flag.html", proposal=proposal)
    assert f"/proposals/{proposal.id}/flag" in html
    html = _render_as(app, UserFactory(), "moderation/_proposal_tools.html", proposal=proposal)
    assert "/decision" not in html
    html = _render_as(app, ModeratorFactory(), "moderation/_proposal_tools.html",
                      proposal=proposal)
    assert f"/moderation/proposals/{proposal.id}/decision" in html
    assert f"/moderation/proposals/{proposal.id}/hide" in html


def test_comment_partial_offers_flag_and_hide(app, db):
    comment = CommentFactory()
    html = _render_as(app, ModeratorFactory(), "moderation/_comment_flag.html", comment=comment)
    assert f"/comments/{comment.id}/flag" in html
    assert f"/moderation/comments/{comment.id}/hide" in html


def test_decision_on_unknown_proposal_is_404(client, auth, db):
    auth.login_as(ModeratorFactory())
    response = client.post("/moderation/proposals/999999/decision",
                           data={"status": "accepted", "response": RESPONSE})
    assert response.status_code == 404


def test_decision_over_htmx_returns_a_fragment(client, auth, db, outbox):
    proposal = ProposalFactory()
    auth.login_as(ModeratorFactory())
    response = client.post(f"/moderation/proposals/{proposal.id}/decision",
                           data={"status": "under_review"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)


def test_redirect_after_an_action_stays_on_this_site(client, auth, db):
    proposal = ProposalFactory()
    auth.login_as(ModeratorFactory())
    response = client.post(f"/moderation/proposals/{proposal.id}/hide",
                           data={"reason": "Spam", "next": "//evil.example/"})
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}")


def test_dismissing_reports_brings_back_what_they_hid_automatically(client, auth, db):
    proposal = ProposalFactory()
    for _ in range(3):
        _flag(client, auth, EstablishedUserFactory(), f"/proposals/{proposal.id}/flag")
    auth.login_as(ModeratorFactory())
    assert "Mantener oculto" in client.get("/moderation").get_data(as_text=True)
    assert client.post(f"/moderation/proposals/{proposal.id}/dismiss").status_code == 303
    db.session.refresh(proposal)
    assert not proposal.hidden
    assert client.post(f"/moderation/proposals/{proposal.id}/dismiss").status_code == 409


def test_hidden_content_cannot_be_flagged(client, auth, db):
    comment = CommentFactory(hidden=True, hidden_reason="Spam")
    assert _flag(client, auth, UserFactory(), f"/comments/{comment.id}/flag").status_code == 404


def test_hiding_upholds_the_open_reports(client, auth, db):
    proposal = ProposalFactory()
    _flag(client, auth, UserFactory(), f"/proposals/{proposal.id}/flag")
    auth.login_as(ModeratorFactory())
    client.post(f"/moderation/proposals/{proposal.id}/hide", data={"reason": "Datos personales"})
    assert db.session.scalar(select(Flag.resolution)) == "upheld"
    assert client.post(f"/moderation/proposals/{proposal.id}/dismiss").status_code == 409
    db.session.refresh(proposal)
    assert proposal.hidden


def test_proposal_page_includes_the_moderation_partials(client, auth, db):
    proposal = ProposalFactory()
    auth.login_as(UserFactory())
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/proposals/{proposal.id}/flag" in page
    assert f"/proposals/{proposal.id}/decision" not in page
    auth.logout()
    auth.login_as(ModeratorFactory())
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/moderation/proposals/{proposal.id}/decision" in page


@pytest.mark.parametrize("target", ["/\t/evil.example/", "/\\/evil.example", "//evil.example",
                                    "https://evil.example/", "/x\r\nSet-Cookie: a=b",
                                    " //evil.example"], ids=repr)
def test_moderation_back_links_stay_on_the_site(client, auth, db, target):
    proposal = ProposalFactory()
    auth.login_as(ModeratorFactory())
    response = client.post(f"/moderation/proposals/{proposal.id}/hide",
                           data={"reason": "Spam", "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/proposals/{proposal.id}"


def test_moderation_back_links_keep_a_same_site_path(client, auth, db):
    proposal = ProposalFactory()
    auth.login_as(ModeratorFactory())
    response = client.post(f"/moderation/proposals/{proposal.id}/hide",
                           data={"reason": "Spam", "next": "/moderation?status=open"})
    assert response.headers["Location"] == "/moderation?status=open"


def test_moderation_links_and_redirects_use_the_page_comment_anchor(client, auth, db):
    comment = CommentFactory(body="Esto es **publicidad** de una empresa.")
    auth.login_as(UserFactory())
    response = client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#comentario-{comment.id}")
    auth.logout()
    auth.login_as(ModeratorFactory())
    queue = client.get("/moderation").get_data(as_text=True)
    assert f"#comentario-{comment.id}" in queue and "#comment-" not in queue
    page = client.get(f"/proposals/{comment.proposal_id}").get_data(as_text=True)
    assert f'id="comentario-{comment.id}"' in page


def test_the_queue_renders_comments_as_text_and_names_their_proposal(client, auth, db):
    proposal = ProposalFactory(title="Presupuesto abierto municipal")
    comment = CommentFactory(proposal_id=proposal.id, body="Esto es **publicidad**.")
    db.session.add(Flag(target_type="comment", target_id=comment.id, user_id=UserFactory().id,
                        reason="spam"))
    db.session.flush()
    auth.login_as(ModeratorFactory())
    queue = client.get("/moderation").get_data(as_text=True)
    assert f"Comentario #{comment.id} en «Presupuesto abierto municipal»" in queue
    assert "<strong>publicidad</strong>" in queue and "**publicidad**" not in queue
    assert 'class="data-table table card-table"' in queue  # cards on a phone (cocrea.css)
