"""Stored and reflected XSS: every payload in every user-controlled field, on every page.

Rows of XSS_TARGETS are (name, create): `create(ctx, payload)` stores the payload where a
user could put it and returns the pages that show it, as (viewer, url) pairs. Add a row when a
feature adds a field; test_every_text_column_is_classified fails until you do.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.extensions import db as _db
from app.models import Comment, Flag, ModerationAction, Proposal
from app.models.base import utcnow
from app.text import render_markdown
from tests.conftest import AuthActions
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.security.xss import PAYLOADS, TEMPLATE_MARK, executable_markup


@dataclass
class Ctx:
    client: object
    world: object
    _signed_in: object = None

    def as_user(self, user):
        """Switch the client to `user` (None: anonymous)."""
        if self._signed_in is not None and user is not self._signed_in:
            self.client.post("/auth/logout")
            self._signed_in = None
        if user is not None and user is not self._signed_in:
            AuthActions(self.client).login_as(user)
            self._signed_in = user
        return self.client


def _proposal_with(payload: str, **extra) -> Proposal:
    fields = {name: payload for name in ("problem", "cause", "description", "contribution")}
    return ProposalFactory(
        title=payload[:150], lead_institution=payload[:200], partners=payload[:500],
        **fields, **{f"{name}_html": render_markdown(payload) for name in fields}, **extra)


def profile_fields(ctx: Ctx, payload: str):
    """Display name and organization, typed in the account form by their owner."""
    user = UserFactory()
    ctx.as_user(user).post("/account", data={
        "display_name": payload[:80], "organization": payload[:200], "sector": "academia",
        "locale": "es"})
    proposal = ProposalFactory(author=user, theme=ctx.world.theme)
    CommentFactory(proposal_id=ctx.world.proposal.id, author_id=user.id)
    ctx.client.post(f"/mesas/{ctx.world.mesa.id}/register")
    pages = ["/account", f"/proposals/{proposal.id}", f"/proposals/{ctx.world.proposal.id}",
             "/proposals", f"/themes/{ctx.world.theme.slug}", "/mesas"]
    return [(user, url) for url in pages] + [
        (None, f"/proposals/{proposal.id}"), (None, f"/proposals/{proposal.id}/history"),
        (ctx.world.moderator, f"/mesas/{ctx.world.mesa.id}/registrations")]


def institution_field(ctx: Ctx, payload: str):
    servant = UserFactory(role="public_servant", institution=payload[:200])
    proposal = ProposalFactory(author=servant, theme=ctx.world.theme)
    return [(None, f"/proposals/{proposal.id}"), (servant, "/account")]


def proposal_fields(ctx: Ctx, payload: str):
    """Typed by the author in the real form (so the real sanitizer runs), then revised."""
    author = UserFactory()
    fields = {"theme": ctx.world.theme.slug, "title": ("T " + payload)[:150],
              "problem": payload, "cause": payload, "description": payload,
              "contribution": payload, "lead_institution": payload[:200],
              "partners": payload[:500], "ogp_values": ["transparency"]}
    response = ctx.as_user(author).post("/proposals/new", data=fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    proposal = _db.session.scalar(
        sa.select(Proposal).where(Proposal.author_id == author.id))
    response = ctx.client.post(f"/proposals/{proposal.id}/edit",
                               data={**fields, "description": "Revisada: " + payload})
    assert response.status_code == 303
    pages = [f"/proposals/{proposal.id}", "/proposals", f"/themes/{ctx.world.theme.slug}", "/",
             f"/proposals/{proposal.id}/history", f"/proposals/{proposal.id}/edit",
             f"/proposals/similar?title={_quote(payload)}"]
    return [(None, url) for url in pages[:5]] + [(author, url) for url in pages[4:]]


def factory_proposal_fields(ctx: Ctx, payload: str):
    """Stored text that bypassed the form (imports, older rows) is still shown safely."""
    proposal = _proposal_with(payload, theme=ctx.world.theme)
    return [(None, f"/proposals/{proposal.id}"), (None, "/proposals")]


def mesa_place(ctx: Ctx, payload: str):
    moderator = ctx.world.moderator
    ctx.as_user(moderator).post(f"/mesas/{ctx.world.mesa.id}/edit", data={
        "day": "2030-07-05", "starts": "08:00", "ends": "15:00", "place": payload[:300],
        "capacity": "80"})
    return [(None, "/mesas"), (None, "/"), (moderator, f"/mesas/{ctx.world.mesa.id}/edit"),
            (moderator, f"/mesas/{ctx.world.mesa.id}/registrations")]


def meeting_and_timeline_fields(ctx: Ctx, payload: str):
    """Meeting titles, links and cancellation reasons, and timeline phases, as a moderator
    or admin would type them (stored directly: the forms refuse some of these values)."""
    from datetime import date, timedelta

    from tests.factories import MesaFactory

    theme = ctx.world.theme
    start = utcnow() + timedelta(days=3)
    MesaFactory(theme=None, kind="forum", plan=theme.plan, title=payload[:200],
                online_url=payload[:500], starts_at=start, ends_at=start + timedelta(hours=2))
    MesaFactory(theme=theme, title=payload[:200], cancelled_at=utcnow(),
                cancel_reason=payload)
    from app.models import PlanPhase

    _db.session.add(PlanPhase(plan_id=theme.plan_id, name=payload[:150], description=payload,
                              starts_on=date(2030, 1, 1), ends_on=date(2030, 1, 2),
                              published_at=utcnow()))
    _db.session.flush()
    moderator = ctx.world.moderator
    return [(None, "/mesas"), (None, "/"), (None, "/timeline"),
            (None, f"/themes/{theme.slug}"), (moderator, "/admin")]


def document_title(ctx: Ctx, payload: str):
    from tests.factories import DocumentFactory

    plan = ctx.world.mesa.theme.plan
    DocumentFactory(plan=plan, mesa=ctx.world.mesa, title=payload[:200])
    withdrawn = DocumentFactory(plan=plan, title=payload[:200], withdrawn_at=utcnow(),
                                withdrawn_reason=payload)
    return [(None, "/repository"), (None, "/mesas"),
            (ctx.world.moderator, f"/repository/{withdrawn.id}/withdraw")]


def proposal_response(ctx: Ctx, payload: str):
    proposal = ProposalFactory(theme=ctx.world.theme, status="rejected", response=payload,
                               response_html=render_markdown(payload),
                               decided_at=utcnow(), decided_by_id=ctx.world.moderator.id)
    _db.session.add(ModerationAction(
        moderator_id=ctx.world.moderator.id, action="decide", target_type="proposal",
        target_id=proposal.id, reason=payload, from_status="open", to_status="rejected"))
    _db.session.flush()
    return [(None, f"/proposals/{proposal.id}"), (None, "/transparency"), (None, "/plan")]


def moderation_reasons(ctx: Ctx, payload: str):
    proposal = ProposalFactory(theme=ctx.world.theme, hidden=True, hidden_reason=payload,
                               hidden_at=utcnow())
    comment = CommentFactory(proposal_id=ctx.world.proposal.id, hidden=True,
                             hidden_reason=payload)
    _db.session.add(ModerationAction(
        moderator_id=ctx.world.moderator.id, action="hide", target_type="comment",
        target_id=comment.id, reason=payload))
    _db.session.flush()
    moderator = ctx.world.moderator
    return [(moderator, f"/proposals/{proposal.id}"), (moderator, "/moderation"),
            (None, f"/proposals/{ctx.world.proposal.id}"), (None, "/transparency")]


def comment_body(ctx: Ctx, payload: str):
    CommentFactory(proposal_id=ctx.world.proposal.id, body=payload,
                   body_html=render_markdown(payload))
    return [(None, f"/proposals/{ctx.world.proposal.id}"),
            (ctx.world.author, f"/proposals/{ctx.world.proposal.id}")]


def flag_details(ctx: Ctx, payload: str):
    for target_type, target_id in (("proposal", ctx.world.proposal.id),
                                   ("comment", ctx.world.comment.id)):
        _db.session.add(Flag(target_type=target_type, target_id=target_id,
                             user_id=UserFactory().id, reason="other", details=payload))
    _db.session.flush()
    return [(ctx.world.moderator, "/moderation")]


def reflected_signup(ctx: Ctx, payload: str):
    """Input echoed back into a form that did not validate."""
    ctx.as_user(None)
    response = ctx.client.post("/auth/register", data={
        "email": payload[:254], "display_name": payload[:80], "organization": payload,
        "password": "corta", "password_confirm": payload, "sector": payload})
    return [("response", response)]


def reflected_query(ctx: Ctx, payload: str):
    return [(None, f"/proposals?q={_quote(payload)}"),
            (None, f"/themes/{ctx.world.theme.slug}?q={_quote(payload)}"),
            (None, f"/auth/login?next={_quote(payload)}")]


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


XSS_TARGETS: list[tuple[str, Callable]] = [
    ("profile display name and organization", profile_fields),
    ("public servant institution", institution_field),
    ("proposal fields", proposal_fields),
    ("proposal fields stored directly", factory_proposal_fields),
    ("mesa place", mesa_place),
    ("meeting and timeline fields", meeting_and_timeline_fields),
    ("repository document title and withdrawal reason", document_title),
    ("moderator response and decision log", proposal_response),
    ("moderation reasons", moderation_reasons),
    ("comment body", comment_body),
    ("flag details", flag_details),
    ("reflected sign-up form", reflected_signup),
    ("reflected query parameters", reflected_query),
]

# Columns whose text a user controls and that the rows above put payloads into.
COVERED_COLUMNS = {
    "users": {"display_name", "organization", "institution", "email"},
    "proposals": {"title", "problem", "cause", "description", "contribution",
                  "lead_institution", "partners", "response", "hidden_reason"},
    "comments": {"body", "hidden_reason"},
    "flags": {"details"},
    "moderation_actions": {"reason"},
    "mesas": {"place", "title", "online_url", "cancel_reason"},
    "plan_phases": {"name", "description"},
    "documents": {"title", "withdrawn_reason"},
    # Written by the edit route in "proposal fields", shown on the history page.
    "proposal_revisions": {"title", "problem", "cause", "description", "contribution",
                           "lead_institution", "partners"},
}
# Text that is not free user input: enums, hashes, sanitized copies, reference data loaded by
# `flask seed`, or fields no page renders (yet). Each entry says why.
NOT_FREE_TEXT = {
    "users": {"password_hash", "role", "sector", "locale"},
    "user_sessions": {"token_hash", "device", "ip_network"},  # hashes; parsed from headers
    "proposals": {"status", "problem_html", "cause_html", "description_html",
                  "contribution_html", "response_html"},  # built by render_markdown only
    "comments": {"body_html", "alignment"},
    "flags": {"target_type", "reason", "resolution"},
    "moderation_actions": {"action", "target_type", "from_status", "to_status"},
    "mesa_registrations": {"status"},
    "mesas": {"kind"},  # one of MESA_KINDS (check constraint)
    "action_plans": {"slug", "title", "period", "status", "intro"},  # reference data
    "themes": {"slug", "name", "description"},  # reference data
    "commitments": {"contact_email"},  # validated as an address by the form
    "used_form_stamps": {"nonce"},  # random hex from signup_form_stamp, never shown
    "account_notices": {"kind"},  # a constant chosen by the code
    # An enum, secure_filename's output, random keys, the detected type, a hex digest.
    "documents": {"type", "original_filename", "stored_name", "content_type", "sha256"},
}


def test_every_text_column_is_classified(app):
    # Rows typed through the real forms (comments, flags, moderation, plan) live there.
    from tests.security.test_xss_forms import COVERED_BY_FORMS

    unclassified = []
    for table in _db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, sa.String | sa.Text):
                continue
            known = (COVERED_COLUMNS.get(table.name, set()) | NOT_FREE_TEXT.get(table.name, set())
                     | COVERED_BY_FORMS.get(table.name, set()))
            if column.name not in known:
                unclassified.append(f"{table.name}.{column.name}")
    assert not unclassified, (
        "New text columns: add an XSS_TARGETS row that puts payloads into them (or list them "
        f"in NOT_FREE_TEXT with the reason): {unclassified}")


def test_the_corpus_has_enough_payloads():
    assert len(PAYLOADS) >= 40 and TEMPLATE_MARK in PAYLOADS


@pytest.mark.parametrize("name, create", XSS_TARGETS, ids=[name for name, _ in XSS_TARGETS])
def test_no_payload_survives_as_executable_markup(client, world, name, create):
    ctx = Ctx(client=client, world=world)
    failures = []
    for payload in PAYLOADS:
        for viewer, target in create(ctx, payload):
            if viewer == "response":
                response, url = target, "(form response)"
            else:
                response = ctx.as_user(viewer).get(target)
                url = target
            if response.status_code == 404 and url in ("/transparency", "/plan"):
                continue
            html = response.get_data(as_text=True)
            if response.status_code >= 500:
                failures.append((payload, url, f"status {response.status_code}"))
                continue
            problems = executable_markup(html)
            if "<html" in html and "</footer>" not in html:
                problems.append("page cut short")
            if problems:
                failures.append((payload, url, problems))
    assert not failures, failures[:5]


def test_template_expressions_are_shown_literally(client, world):
    proposal = _proposal_with(TEMPLATE_MARK, theme=world.theme)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert TEMPLATE_MARK in html and "zq49zq" not in html
    user = UserFactory(display_name="{{7*7}}")
    ProposalFactory(author=user, theme=world.theme)
    html = client.get(f"/themes/{world.theme.slug}").get_data(as_text=True)
    assert "{{7*7}}" in html


def test_hidden_comment_text_stays_hidden(client, world):
    comment = CommentFactory(proposal_id=world.proposal.id, body="secreto-oculto",
                             body_html="<p>secreto-oculto</p>", hidden=True,
                             hidden_reason="spam")
    assert _db.session.get(Comment, comment.id).hidden
    assert b"secreto-oculto" not in client.get(f"/proposals/{world.proposal.id}").data


@pytest.mark.parametrize("raw", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>", "<a href=\" JaVa\tScript:alert(1)\">x</a>",
    "<a href=\"data:text/html,x\">x</a>", "<iframe src=x></iframe>",
    "<p style=\"color:red\">x</p>", "<div hx-on:click=\"alert(1)\">x</div>",
    "<meta http-equiv=\"refresh\" content=\"0\">", "zq49zq",
])
def test_the_checker_catches_unescaped_payloads(raw):
    """The harness itself can fail: raw payloads in a page are reported."""
    assert executable_markup(f"<html><body>{raw}<footer></footer></body></html>")
