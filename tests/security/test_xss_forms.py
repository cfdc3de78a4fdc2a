"""Stored XSS through the real forms of comments, flags, moderation and the plan draft.

Each row of FORM_TARGETS is (name, create): `create(ctx, payloads)` types a chunk of the corpus
into the real routes (as the person who may) and returns the pages that show it, as
(viewer, url) pairs; a viewer "response" pairs with the response itself. A chunk shares its
pages, which keeps the suite fast: one render checks many payloads. HTML pages go through the
markup checker; exports and the API must say they are not HTML (and forbid sniffing).
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from app.extensions import db as _db
from app.models import Comment, Commitment, Proposal
from app.plan import services as plan_services
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.security.test_xss import Ctx
from tests.security.xss import PAYLOADS, executable_markup

CHUNK = 20
NOT_HTML = {"application/json", "text/markdown", "text/csv"}


def _ok(response):
    assert response.status_code == 303, (response.status_code,
                                         response.get_data(as_text=True)[:300])


def _last(model, **where):
    return _db.session.scalar(sa.select(model).filter_by(**where).order_by(model.id.desc()))


def _reason(payload: str) -> str:
    """Moderators' texts have a minimum length: the payload follows a plain prefix."""
    return "Respuesta razonada de la mesa técnica: " + payload


def comments_and_replies(ctx: Ctx, payloads):
    proposal = ProposalFactory(theme=ctx.world.theme)
    author = UserFactory()
    client = ctx.as_user(author)
    pages = []
    for payload in payloads:
        _ok(client.post(f"/proposals/{proposal.id}/comments",
                        data={"body": payload, "alignment": "against"}))
        parent = _last(Comment, proposal_id=proposal.id, parent_id=None)
        fragment = client.post(f"/proposals/{proposal.id}/comments",
                               data={"body": "Respuesta: " + payload, "parent_id": parent.id,
                                     "alignment": "neutral"}, headers={"HX-Request": "true"})
        assert fragment.status_code == 200
        pages.append(("response", fragment))
    pages.append((author, f"/comments/{parent.id}/edit"))
    url = f"/proposals/{proposal.id}"
    return pages + [(None, url), (author, url), (ctx.world.moderator, url),
                    (None, f"/api/v1/proposals/{proposal.id}")]


def flag_details(ctx: Ctx, payloads):
    flagger = UserFactory(display_name="Denunciante")
    client = ctx.as_user(flagger)
    for payload in payloads:
        proposal = ProposalFactory(theme=ctx.world.theme)
        comment = CommentFactory(proposal_id=ctx.world.proposal.id)
        for url in (f"/proposals/{proposal.id}/flag", f"/comments/{comment.id}/flag"):
            _ok(client.post(url, data={"reason": "other", "details": payload}))
    return [(ctx.world.moderator, "/moderation"), (None, "/transparency"),
            (flagger, f"/proposals/{proposal.id}")]


def moderation_texts(ctx: Ctx, payloads):
    """Hide reasons, decision responses and block reasons, typed by a moderator."""
    moderator = ctx.world.moderator
    client = ctx.as_user(moderator)
    pages = []
    for index, payload in enumerate(payloads):
        proposal = ProposalFactory(theme=ctx.world.theme)
        comment = CommentFactory(proposal_id=ctx.world.proposal.id)
        decided = ProposalFactory(theme=ctx.world.theme)
        _ok(client.post(f"/moderation/proposals/{proposal.id}/hide", data={"reason": payload}))
        _ok(client.post(f"/moderation/comments/{comment.id}/hide", data={"reason": payload}))
        status = ("accepted", "rejected", "under_review")[index % 3]
        _ok(client.post(f"/moderation/proposals/{decided.id}/decision",
                        data={"status": status, "response": _reason(payload)}))
        _ok(client.post(f"/moderation/users/{UserFactory().id}/block",
                        data={"reason": payload, "confirm": "yes"}))
        if index < 2:
            pages += [(moderator, f"/proposals/{proposal.id}"), (None, f"/proposals/{decided.id}"),
                      (None, f"/api/v1/proposals/{decided.id}")]
    return pages + [(moderator, "/moderation"), (None, "/transparency"), (None, "/plan"),
                    (None, f"/proposals/{ctx.world.proposal.id}"), (None, "/plan/export.md"),
                    (None, "/api/v1/plan")]


def plan_texts(ctx: Ctx, payloads):
    """Commitment and milestone text edited by moderators, and a version's label."""
    moderator = ctx.world.moderator
    client = ctx.as_user(moderator)
    commitments = []
    for payload in payloads:
        proposal = ProposalFactory(theme=ctx.world.theme, status="accepted")
        commitment = plan_services.create_commitment_from(proposal)
        commitments.append(commitment.id)
        url = f"/plan/commitments/{commitment.id}"
        _ok(client.post(url + "/edit", data={
            "title": ("C " + payload)[:200], "problem": payload, "cause": payload,
            "description": payload, "contribution": payload, "ogp_values": ["transparency"],
            "lead_institution": payload[:200], "partners": payload,
            "contact_name": payload[:120], "contact_role": payload[:120],
            "contact_email": "enlace@ministerio.gob.gt"}))
        _ok(client.post(url + "/milestones", data={
            "description": payload, "deliverable": payload, "responsible": payload[:200]}))
        milestone = _db.session.get(Commitment, commitment.id).milestones[-1]
        _ok(client.post(f"/plan/milestones/{milestone.id}/edit", data={
            "description": "Revisado: " + payload, "deliverable": payload,
            "responsible": payload[:200]}))
    _ok(client.post(f"/plan/commitments/{commitments[-1]}/move", data={"direction": "up"}))
    _ok(client.post("/plan/versions", data={"label": payloads[0][:100]}))
    number = plan_services.list_versions(plan_services.current_plan())[0].number
    return [(None, "/plan"), (moderator, "/plan"), (None, f"/plan/versions/{number}"),
            (moderator, f"/plan/commitments/{commitments[0]}/edit"), (None, "/transparency"),
            (None, f"/proposals/{proposal.id}"), (None, "/plan/export.md"),
            (None, f"/plan/versions/{number}/export.md"), (None, "/plan/export.csv"),
            (None, "/plan/export.json"), (None, "/api/v1/plan")]


FORM_TARGETS: list[tuple[str, Callable]] = [
    ("comment bodies and replies", comments_and_replies),
    ("flag details in the moderation queue", flag_details),
    ("hide and block reasons, decision responses", moderation_texts),
    ("commitments, milestones and version labels", plan_texts),
]
# Columns these rows fill (test_xss.test_every_text_column_is_classified lists them).
COVERED_BY_FORMS = {
    "users": {"blocked_reason"},
    "commitments": {"title", "problem", "cause", "description", "contribution",
                    "lead_institution", "partners", "contact_name", "contact_role"},
    "milestones": {"description", "deliverable", "responsible"},
    "plan_versions": {"label"},
}


def _chunks():
    return [PAYLOADS[start:start + CHUNK] for start in range(0, len(PAYLOADS), CHUNK)]


def _problems(response, url) -> list:
    if response.status_code >= 500:
        return [f"status {response.status_code}"]
    if response.mimetype != "text/html":
        if response.mimetype not in NOT_HTML:
            return [f"served as {response.mimetype}"]
        if response.headers.get("X-Content-Type-Options") != "nosniff":
            return ["sniffable non-HTML"]
        return []
    if url.startswith("/api/") or "/export." in url:
        return ["export or API served as HTML"]
    html = response.get_data(as_text=True)
    problems = executable_markup(html)
    if "<html" in html and "</footer>" not in html:
        problems.append("page cut short")
    return problems


@pytest.mark.parametrize("name, create", FORM_TARGETS, ids=[name for name, _ in FORM_TARGETS])
def test_no_payload_typed_in_a_form_survives_as_executable_markup(client, world, name, create):
    ctx = Ctx(client=client, world=world)
    failures = []
    for chunk in _chunks():
        for viewer, target in create(ctx, chunk):
            if viewer == "response":
                response, url = target, "(form response)"
            else:
                response, url = ctx.as_user(viewer).get(target), target
            assert response.status_code < 400 or viewer == "response", (url, response.status_code)
            failures += [(url, problem) for problem in _problems(response, url)]
    assert not failures, failures[:5]


def test_the_queue_shows_the_flag_details_it_is_checked_for(client, world):
    """The flag row can fail: the details typed reach the moderators' page, escaped."""
    ctx = Ctx(client=client, world=world)
    flag_details(ctx, ["detalle-visible <b>negrita</b>"])
    html = ctx.as_user(world.moderator).get("/moderation").get_data(as_text=True)
    assert "detalle-visible &lt;b&gt;negrita&lt;/b&gt;" in html


def test_a_decision_response_reaches_the_proposal_page(client, world):
    ctx = Ctx(client=client, world=world)
    moderation_texts(ctx, ["respuesta-visible"])
    decided = _last(Proposal, status="accepted")
    page = ctx.as_user(None).get(f"/proposals/{decided.id}").get_data(as_text=True)
    assert "respuesta-visible" in page
