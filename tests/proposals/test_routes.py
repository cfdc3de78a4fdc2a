"""The proposal pages: writing, revising, reading, permissions and bad input."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.models import Proposal
from tests.factories import ModeratorFactory, ProposalFactory, UserFactory
from tests.proposals.conftest import proposal_form


def _count(db) -> int:
    return db.session.scalar(select(func.count(Proposal.id)))


def test_anonymous_visitor_is_sent_to_sign_in_to_write(client, theme):
    response = client.get(f"/proposals/new?theme={theme.slug}")
    assert response.status_code in (302, 303)
    assert "/auth/login" in response.headers["Location"]
    response = client.post("/proposals/new", data=proposal_form(theme.slug))
    assert response.status_code in (302, 303, 401)


def test_new_form_preselects_the_theme_and_explains_the_template(client, auth, theme,
                                                                   participant):
    auth.login_as(participant)
    html = client.get(f"/proposals/new?theme={theme.slug}").get_data(as_text=True)
    assert f'<option selected value="{theme.slug}">' in html
    for name in ("title", "problem", "cause", "description", "contribution",
                 "lead_institution", "partners"):
        assert f'name="{name}"' in html
    for value in ("transparency", "participation", "accountability", "technology"):
        assert f'type="checkbox" name="ogp_values" id="ogp_values-{value}"' in html
    assert "Más información pública" in html  # one-line help of each OGP value
    assert "¿Cuál es el problema público" in html  # help from the OGP template
    assert 'hx-trigger="keyup changed delay:500ms"' in html
    assert 'aria-live="polite"' in html


def test_participant_publishes_a_proposal(client, auth, db, theme, participant):
    auth.login_as(participant)
    response = client.post("/proposals/new", data=proposal_form(theme.slug))
    assert response.status_code == 303
    proposal = db.session.scalar(select(Proposal))
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}")
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Datos abiertos de la obra pública municipal" in html
    assert "Transparencia" in html and "Rendición de cuentas" in html
    assert "Editar la propuesta" in html


def test_theme_page_offers_to_write_a_proposal_while_open(client, theme, closed_theme):
    html = client.get(f"/themes/{theme.slug}").get_data(as_text=True)
    assert "Escribir una propuesta en esta temática" in html
    assert f"/proposals/new?theme={theme.slug}" in html
    html = client.get(f"/themes/{closed_theme.slug}").get_data(as_text=True)
    assert "Escribir una propuesta en esta temática" not in html


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"title": ""}, "title", "Escriba un título"),
    ({"title": "x" * 151}, "title", "hasta 150 caracteres"),
    ({"problem": ""}, "problem", "problema público"),
    ({"description": "x" * 20_001}, "description", "20"),
    ({"ogp_values": ["transparency", "corruption"]}, "ogp_values", "Elija solo"),
    ({"theme": "no-existe"}, "theme", "Elija una de las 12"),
    ({"theme": None}, "theme", "Elija una de las 12"),
])
def test_bad_input_comes_back_with_a_message_next_to_the_field(
        client, auth, db, theme, participant, overrides, field, message):
    auth.login_as(participant)
    data = proposal_form(theme.slug, **overrides)
    data.setdefault("theme", "")
    response = client.post("/proposals/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in html
    assert message in html
    assert _count(db) == 0
    # Everything typed is still there.
    assert "Cada municipalidad publica en formatos distintos." in html


def test_form_keeps_typed_text_and_checked_values_on_error(client, auth, theme, participant):
    auth.login_as(participant)
    data = proposal_form(theme.slug, title="", partners="Red de Mujeres Mayas",
                         ogp_values=["participation"])
    html = client.post("/proposals/new", data=data).get_data(as_text=True)
    assert 'value="Red de Mujeres Mayas"' in html
    checked = re.findall(r'value="(\w+)"\s+checked ', html)
    assert checked == ["participation"]


def test_closed_theme_is_refused_on_the_form(client, auth, db, closed_theme, participant):
    auth.login_as(participant)
    response = client.post("/proposals/new", data=proposal_form(closed_theme.slug))
    assert response.status_code == 400
    assert "está cerrado" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_limit_of_open_proposals_is_explained(client, auth, db, participant):
    from tests.factories import ThemeFactory

    theme = ThemeFactory(max_open_proposals_per_user=1)
    ProposalFactory(theme=theme, author=participant)
    auth.login_as(participant)
    response = client.post("/proposals/new", data=proposal_form(theme.slug))
    assert response.status_code == 409
    assert "máximo permitido" in response.get_data(as_text=True)
    assert _count(db) == 1


def test_blocked_participant_gets_403(client, auth, theme):
    user = UserFactory(blocked_reason="spam")
    auth.login_as(user)
    response = client.post("/proposals/new", data=proposal_form(theme.slug))
    assert response.status_code in (403, 303, 302)


@pytest.mark.parametrize("path", ["/proposals/abc", "/proposals/999999", "/proposals/-1",
                                  "/proposals/999999/edit", "/proposals/999999/history",
                                  "/proposals/1x/history"])
def test_unknown_or_non_numeric_ids_are_404(client, auth, participant, path):
    auth.login_as(participant)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(("who", "status"), [
    ("author", 200), ("other", 403), ("moderator", 200), ("anonymous", 302),
])
def test_who_may_open_the_edit_form(client, auth, theme, participant, who, status):
    proposal = ProposalFactory(theme=theme, author=participant)
    users = {"author": participant, "other": UserFactory(), "moderator": ModeratorFactory()}
    if who in users:
        auth.login_as(users[who])
    response = client.get(f"/proposals/{proposal.id}/edit")
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), [
    ("author", 303), ("other", 403), ("moderator", 303), ("anonymous", 302),
])
def test_who_may_save_an_edit(client, auth, db, theme, participant, who, status):
    proposal = ProposalFactory(theme=theme, author=participant, title="Antes")
    users = {"author": participant, "other": UserFactory(), "moderator": ModeratorFactory()}
    if who in users:
        auth.login_as(users[who])
    response = client.post(f"/proposals/{proposal.id}/edit",
                           data=proposal_form(theme.slug, title="Después"))
    assert response.status_code == status
    db.session.expire_all()
    assert proposal.title == ("Después" if status == 303 else "Antes")


def test_author_cannot_edit_a_decided_proposal(client, auth, theme, participant):
    proposal = ProposalFactory(theme=theme, author=participant, status="rejected")
    auth.login_as(participant)
    assert client.get(f"/proposals/{proposal.id}/edit").status_code == 403


def test_invalid_edit_keeps_the_form_and_the_proposal(client, auth, db, theme, participant):
    proposal = ProposalFactory(theme=theme, author=participant, title="Antes")
    auth.login_as(participant)
    response = client.post(f"/proposals/{proposal.id}/edit",
                           data=proposal_form(theme.slug, title="", problem="Nuevo texto"))
    assert response.status_code == 400
    assert "Nuevo texto" in response.get_data(as_text=True)
    db.session.expire_all()
    assert proposal.title == "Antes"


def test_hidden_proposal_shows_a_placeholder_with_the_reason(client, auth, theme):
    proposal = ProposalFactory(theme=theme, hidden=True, title="Texto ofensivo",
                               hidden_reason="Contenido ofensivo hacia una persona")
    for user in (None, UserFactory(), proposal.author):
        if user:
            auth.logout()
            auth.login_as(user)
        response = client.get(f"/proposals/{proposal.id}")
        html = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "ocultada por la moderación" in html
        assert "Contenido ofensivo hacia una persona" in html
        assert "Texto ofensivo" not in html
        assert client.get(f"/proposals/{proposal.id}/history").status_code == 404


def test_moderator_sees_a_hidden_proposal_with_a_banner(client, auth, theme, moderator):
    proposal = ProposalFactory(theme=theme, hidden=True, title="Texto ofensivo",
                               hidden_reason="Spam")
    auth.login_as(moderator)
    response = client.get(f"/proposals/{proposal.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Texto ofensivo" in html and "banner-hidden" in html and "Spam" in html


def test_history_shows_versions_and_what_changed(client, auth, theme, participant):
    auth.login_as(participant)
    client.post("/proposals/new", data=proposal_form(theme.slug, title="Versión uno",
                                                     problem="línea A\nlínea B"))
    from app.extensions import db

    proposal = db.session.scalar(select(Proposal))
    client.post(f"/proposals/{proposal.id}/edit",
                data=proposal_form(theme.slug, title="Versión dos", problem="línea A\nlínea C"))
    client.post(f"/proposals/{proposal.id}/edit",
                data=proposal_form(theme.slug, title="Versión tres",
                                   problem="línea A\nlínea C"))
    detail = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/proposals/{proposal.id}/history" in detail and "2 ediciones" in detail
    html = client.get(f"/proposals/{proposal.id}/history?from=1&to=2").get_data(as_text=True)
    assert "Versión 3" in html and "(actual)" in html
    assert '<del class="diff-line diff-del"><span class="visually-hidden">Eliminado: </span>' \
           'línea B</del>' in html
    assert "línea C</ins>" in html and "Versión uno</del>" in html
    html = client.get(f"/proposals/{proposal.id}/history").get_data(as_text=True)
    assert "Versión dos</del>" in html and "Versión tres</ins>" in html
    assert "línea B" not in html


@pytest.mark.parametrize("query", ["from=0", "from=9", "to=abc", "from=-1"])
def test_history_with_unknown_versions_shows_the_last_edit(client, theme, query):
    proposal = ProposalFactory(theme=theme)
    from app.extensions import db
    from app.models import ProposalRevision

    db.session.add(ProposalRevision(proposal_id=proposal.id, number=1, title="Antes",
                                    problem="p", description="d"))
    db.session.flush()
    response = client.get(f"/proposals/{proposal.id}/history?{query}")
    assert response.status_code == 200 and "Antes" in response.get_data(as_text=True)


def test_similar_fragment_lists_proposals_of_the_same_theme(client, theme):
    from tests.factories import ThemeFactory

    ProposalFactory(theme=theme, title="Portal de compras municipales abiertas")
    ProposalFactory(theme=ThemeFactory(), title="Compras municipales en otra temática")
    ProposalFactory(theme=theme, title="Compras ocultas", hidden=True)
    response = client.get(f"/proposals/similar?theme={theme.slug}&title=compras+municipales",
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Portal de compras municipales abiertas" in html
    assert "otra temática" not in html and "ocultas" not in html
    assert "<html" not in html


@pytest.mark.parametrize("query", ["", "theme=nada&title=compras", "title=compras",
                                   "theme=x&title=%22%2A%28AND"])
def test_similar_fragment_is_empty_for_odd_input(client, query):
    response = client.get(f"/proposals/similar?{query}")
    assert response.status_code == 200
    assert "<li>" not in response.get_data(as_text=True)
