"""IDOR matrix: every object route tried as each role; only the right roles succeed.

A row is (name, method, url(world), form data(world), roles allowed). Add rows as features
add object routes; roles are anonymous, author (owns the objects), other (another
participant), servant (public servant), moderator.
"""
from __future__ import annotations

import json

import pytest

ROLES = ("anonymous", "author", "other", "servant", "moderator")
SIGNED_IN = {"author", "other", "servant", "moderator"}


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
     {"moderator"}),
    ("moderation queue", "GET", lambda w: "/moderation", _none, {"moderator"}),
    ("account page", "GET", lambda w: "/account", _none, SIGNED_IN),
    ("data export", "GET", lambda w: "/account/export.json", _none, SIGNED_IN),
    ("edit proposal form", "GET", lambda w: f"/proposals/{w.proposal.id}/edit", _none,
     {"author", "moderator"}),
    ("edit proposal", "POST", lambda w: f"/proposals/{w.proposal.id}/edit", proposal_form,
     {"author", "moderator"}),
    ("history of hidden proposal", "GET", lambda w: f"/proposals/{w.hidden_proposal.id}/history",
     _none, {"moderator"}),
    ("edit hidden proposal", "GET", lambda w: f"/proposals/{w.hidden_proposal.id}/edit", _none,
     {"moderator"}),
    ("hidden proposal in the API", "GET",
     lambda w: f"/api/v1/proposals/{w.hidden_proposal.id}", _none, set()),
    ("mesa registrations list", "GET", lambda w: f"/mesas/{w.mesa.id}/registrations", _none,
     {"moderator"}),
    ("mesa registrations CSV", "GET", lambda w: f"/mesas/{w.mesa.id}/registrations.csv", _none,
     {"moderator"}),
    ("edit mesa form", "GET", lambda w: f"/mesas/{w.mesa.id}/edit", _none, {"moderator"}),
    ("edit mesa", "POST", lambda w: f"/mesas/{w.mesa.id}/edit", mesa_form, {"moderator"}),
    ("mesa attendance", "POST", lambda w: f"/mesas/{w.mesa.id}/attendance", _none,
     {"moderator"}),
    ("register for a mesa", "POST", lambda w: f"/mesas/{w.mesa.id}/register", _none,
     SIGNED_IN),
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
    assert "password" not in text and me.session_token not in text


def test_data_export_ignores_an_id_in_the_query(client, login, world):
    login(world.other)
    data = client.get(f"/account/export.json?user_id={world.author.id}&id={world.author.id}")
    assert json.loads(data.data)["account"]["id"] == world.other.id
