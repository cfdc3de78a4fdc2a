"""IDOR matrix: every object route tried as each role; only the right roles succeed.

A row is (name, method, url(world), form data(world), roles allowed). Add rows as features
add object routes; roles are anonymous, author (owns the objects), other (another
participant), servant (public servant), moderator, admin. Objects a row needs beyond the
`world` are made on demand by the helpers below (so each cell pays only for its own).
"""
from __future__ import annotations

import json

import pytest

from app.plan import services as plan_services
from tests.conftest import PASSWORD
from tests.factories import CommentFactory, UserFactory

ROLES = ("anonymous", "author", "other", "servant", "moderator", "admin")
SIGNED_IN = {"author", "other", "servant", "moderator", "admin"}
MODS = {"moderator", "admin"}


def _once(name):
    """A helper that makes an object the first time a row asks for it, then reuses it."""

    def decorator(make):
        def get(world):
            if name not in world.extra:
                world.extra[name] = make(world)
            return world.extra[name]

        return get

    return decorator


@_once("commitment")
def commitment(world):
    return plan_services.create_commitment_from(world.proposal)


@_once("milestone")
def milestone(world):
    return plan_services.add_milestone(commitment(world), {"description": "Un hito"})


@_once("hidden_comment")
def hidden_comment(world):
    return CommentFactory(proposal_id=world.proposal.id, hidden=True, hidden_reason="Spam")


@_once("counted_comment")
def counted_comment(world):
    """The author's comment, counted on its proposal (the factory counts as the route does)."""
    return CommentFactory(proposal_id=world.proposal.id, author_id=world.author.id)


@_once("blocked")
def blocked(world):
    return UserFactory(blocked_reason="Spam repetido")


def commitment_form(world):
    return {"title": "Compromiso revisado", "problem": "Un problema.",
            "ogp_values": ["transparency"], "lead_institution": "Ministerio"}


def milestone_form(world):
    return {"description": "Hito revisado", "deliverable": "Informe", "responsible": "Ministerio"}


def decision_form(world):
    return {"status": "under_review", "response": "La mesa técnica revisa esta propuesta."}


def reason_form(world):
    return {"reason": "Contenido que incumple las reglas."}


def _none(world):
    return {}


def proposal_form(world):
    return {"theme": world.theme.slug, "title": "Título revisado de la propuesta",
            "problem": "Un problema público.", "description": "Un compromiso concreto.",
            "ogp_values": ["transparency"]}


def mesa_form(world):
    return {"day": "2030-07-05", "starts": "08:00", "ends": "15:00", "place": "Salón",
            "capacity": "80"}


MATRIX = [
    ("view hidden proposal", "GET", lambda w: f"/proposals/{w.hidden_proposal.id}", _none,
     MODS),
    ("moderation queue", "GET", lambda w: "/moderation", _none, MODS),
    ("account page", "GET", lambda w: "/account", _none, SIGNED_IN),
    ("data export", "GET", lambda w: "/account/export.json", _none, SIGNED_IN),
    ("edit proposal form", "GET", lambda w: f"/proposals/{w.proposal.id}/edit", _none,
     {"author"} | MODS),
    ("edit proposal", "POST", lambda w: f"/proposals/{w.proposal.id}/edit", proposal_form,
     {"author"} | MODS),
    ("history of hidden proposal", "GET", lambda w: f"/proposals/{w.hidden_proposal.id}/history",
     _none, MODS),
    ("edit hidden proposal", "GET", lambda w: f"/proposals/{w.hidden_proposal.id}/edit", _none,
     MODS),
    ("hidden proposal in the API", "GET",
     lambda w: f"/api/v1/proposals/{w.hidden_proposal.id}", _none, set()),
    ("mesa registrations list", "GET", lambda w: f"/mesas/{w.mesa.id}/registrations", _none,
     MODS),
    ("mesa registrations CSV", "GET", lambda w: f"/mesas/{w.mesa.id}/registrations.csv", _none,
     MODS),
    ("edit mesa form", "GET", lambda w: f"/mesas/{w.mesa.id}/edit", _none, MODS),
    ("edit mesa", "POST", lambda w: f"/mesas/{w.mesa.id}/edit", mesa_form, MODS),
    ("mesa attendance", "POST", lambda w: f"/mesas/{w.mesa.id}/attendance", _none,
     MODS),
    ("register for a mesa", "POST", lambda w: f"/mesas/{w.mesa.id}/register", _none,
     SIGNED_IN),
    # Moderation: decisions, hiding, flags, blocking.
    ("decide on a proposal", "POST",
     lambda w: f"/moderation/proposals/{w.proposal.id}/decision", decision_form, MODS),
    ("hide a proposal", "POST", lambda w: f"/moderation/proposals/{w.proposal.id}/hide",
     reason_form, MODS),
    ("restore a proposal", "POST",
     lambda w: f"/moderation/proposals/{w.hidden_proposal.id}/restore", reason_form, MODS),
    ("hide a comment", "POST", lambda w: f"/moderation/comments/{w.comment.id}/hide",
     reason_form, MODS),
    ("restore a comment", "POST",
     lambda w: f"/moderation/comments/{hidden_comment(w).id}/restore", reason_form, MODS),
    ("dismiss proposal flags", "POST",
     lambda w: f"/moderation/proposals/{w.proposal.id}/dismiss", _none, MODS),
    ("dismiss comment flags", "POST",
     lambda w: f"/moderation/comments/{w.comment.id}/dismiss", _none, MODS),
    ("block a participant", "POST", lambda w: f"/moderation/users/{w.other.id}/block",
     reason_form, MODS),
    ("unblock a participant", "POST", lambda w: f"/moderation/users/{blocked(w).id}/unblock",
     _none, {"admin"}),
    # The plan draft, edited by moderators.
    ("edit commitment form", "GET", lambda w: f"/plan/commitments/{commitment(w).id}/edit",
     _none, MODS),
    ("edit commitment", "POST", lambda w: f"/plan/commitments/{commitment(w).id}/edit",
     commitment_form, MODS),
    ("add a milestone", "POST", lambda w: f"/plan/commitments/{commitment(w).id}/milestones",
     milestone_form, MODS),
    ("edit a milestone", "POST", lambda w: f"/plan/milestones/{milestone(w).id}/edit",
     milestone_form, MODS),
    ("delete a milestone", "POST", lambda w: f"/plan/milestones/{milestone(w).id}/delete",
     _none, MODS),
    ("move a commitment", "POST", lambda w: f"/plan/commitments/{commitment(w).id}/move",
     lambda w: {"direction": "up"}, MODS),
    ("publish a plan version", "POST", lambda w: "/plan/versions",
     lambda w: {"label": "Borrador 1"}, MODS),
    # Comments: their author edits and deletes; moderators pin the official answer.
    ("edit comment form", "GET", lambda w: f"/comments/{w.comment.id}/edit", _none,
     {"author"}),
    ("edit comment", "POST", lambda w: f"/comments/{w.comment.id}/edit",
     lambda w: {"body": "Comentario corregido.", "alignment": "neutral"}, {"author"}),
    ("delete comment", "POST", lambda w: f"/comments/{counted_comment(w).id}/delete", _none,
     {"author"}),
    ("pin comment", "POST", lambda w: f"/comments/{w.comment.id}/pin", _none, MODS),
    # One's own account only: nothing in the URL names another.
    ("delete account", "POST", lambda w: "/account/delete",
     lambda w: {"password": PASSWORD}, SIGNED_IN),
]


def _outcome(response) -> str:
    """"ok" once past authorization (a rule may still say 400/409), "denied" otherwise."""
    if response.status_code in (200, 303, 400, 409):
        return "ok"
    if response.status_code == 302 and "/auth/login" in response.headers.get("Location", ""):
        return "denied"
    if response.status_code in (401, 403, 404):
        return "denied"
    return f"unexpected {response.status_code}"


@pytest.mark.parametrize("name, method, url, data, allowed", MATRIX,
                         ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_idor_matrix(client, login, world, role, name, method, url, data, allowed):
    login(world.user(role))
    response = client.open(url(world), method=method, data=data(world))
    expected = "ok" if role in allowed else "denied"
    assert _outcome(response) == expected, (role, name, response.status_code)


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_data_export_holds_only_ones_own_data(client, login, world, role):
    me = world.user(role)
    login(me)
    response = client.get("/account/export.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.data)
    assert data["account"]["email"] == me.email and data["account"]["id"] == me.id
    own = {p["id"] for p in data["proposals"]}
    expected = {world.proposal.id, world.hidden_proposal.id} if role == "author" else set()
    assert own == expected
    text = response.get_data(as_text=True)
    for other in (world.author, world.other, world.servant, world.moderator):
        if other is not me:
            assert other.email not in text
    hashes = _db_session_hashes(me)
    assert hashes and "password" not in text and not any(h in text for h in hashes)
    assert data["sessions"] and "token" not in text


def test_data_export_ignores_an_id_in_the_query(client, login, world):
    login(world.other)
    data = client.get(f"/account/export.json?user_id={world.author.id}&id={world.author.id}")
    assert json.loads(data.data)["account"]["id"] == world.other.id


def _db_session_hashes(user) -> list[str]:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import UserSession

    return list(db.session.scalars(
        select(UserSession.token_hash).where(UserSession.user_id == user.id)))
