"""/account/participation: what became of each of the participant's contributions."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.account import participation as participation_module
from app.extensions import db as _db
from app.models import Commitment, MesaRegistration
from app.models.base import utcnow
from tests.bench.test_query_counts import MAX_QUERIES, queries_for
from tests.factories import CommentFactory, MesaFactory, ProposalFactory, UserFactory


def _commitment(source, title="Portal único de compras públicas"):
    number = _db.session.scalar(select(func.count()).select_from(Commitment)
                                .where(Commitment.plan_id == source.theme.plan_id)) + 1
    commitment = Commitment(plan_id=source.theme.plan_id, theme_id=source.theme_id,
                            number=number, title=title)
    commitment.source_proposals.append(source)
    _db.session.add(commitment)
    _db.session.flush()
    return commitment


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/account/participation")
    assert response.status_code in (302, 303)
    assert "/auth/login" in response.headers["Location"]


def test_accepted_proposal_shows_its_response_and_the_commitment_it_fed(client, db, auth):
    me = auth.login_as(UserFactory())
    accepted = ProposalFactory(author=me, title="Datos abiertos de compras", status="accepted",
                               response="Se incorpora como compromiso 1 del plan.")
    _commitment(accepted)
    ProposalFactory(author=UserFactory(), title="Propuesta de otra persona")
    page = client.get("/account/participation").get_data(as_text=True)
    assert "Datos abiertos de compras" in page
    assert "Se incorpora como compromiso 1 del plan." in page
    assert "Portal único de compras públicas" in page
    assert "Propuesta de otra persona" not in page


def test_merged_proposal_leads_to_the_commitment_of_the_proposal_it_joined(client, db, auth):
    me = auth.login_as(UserFactory())
    target = ProposalFactory(title="Propuesta que recibió la fusión", status="accepted")
    _commitment(target, title="Compromiso de la propuesta fusionada")
    ProposalFactory(author=me, status="merged", merged_into=target,
                    response="Se fusiona con una propuesta casi igual.")
    page = client.get("/account/participation").get_data(as_text=True)
    assert "Propuesta que recibió la fusión" in page
    assert "Compromiso de la propuesta fusionada" in page


def test_comments_show_their_proposal_and_the_moderation_reason_when_hidden(client, db, auth):
    me = auth.login_as(UserFactory())
    proposal = ProposalFactory(title="Propuesta comentada")
    CommentFactory(proposal_id=proposal.id, author_id=me.id, body="Mi aporte visible.")
    CommentFactory(proposal_id=proposal.id, author_id=me.id, body="Un insulto.", hidden=True,
                   hidden_reason="Lenguaje ofensivo.")
    CommentFactory(proposal_id=proposal.id, author_id=me.id, body="Lo borré yo.",
                   deleted_at=utcnow())
    page = client.get("/account/participation").get_data(as_text=True)
    assert "Propuesta comentada" in page and "Mi aporte visible." in page
    assert "Lenguaje ofensivo." in page
    assert "Lo borré yo." not in page


def test_mesa_registrations_show_attendance(client, db, auth):
    me = auth.login_as(UserFactory())
    held = MesaFactory(starts_at=utcnow() - timedelta(days=3))
    _db.session.add(MesaRegistration(mesa_id=held.id, user_id=me.id, attended=True))
    _db.session.flush()
    page = client.get("/account/participation").get_data(as_text=True)
    assert held.theme.name in page and "Asistió." in page


def test_other_features_add_their_contributions_through_a_section(client, db, auth,
                                                                   monkeypatch):
    me = auth.login_as(UserFactory())
    monkeypatch.setattr(participation_module, "SECTION_PROVIDERS", [])
    participation_module.contribution_section(lambda user: participation_module.Section(
        key="consulta", title="Comentarios de la consulta",
        template="repository/_mesa_documents.html", items=[]) if user.id == me.id else None)
    page = client.get("/account/participation").get_data(as_text=True)
    assert "Comentarios de la consulta (0)" in page


def _contributions(user, count: int) -> None:
    """`count` proposals (every other one accepted into a commitment), as many comments and
    mesa registrations."""
    for index in range(count):
        proposal = ProposalFactory(author=user, status="accepted" if index % 2 else "open")
        CommentFactory(proposal_id=proposal.id, author_id=user.id)
        if index % 2:
            _commitment(proposal)
        _db.session.add(MesaRegistration(mesa_id=MesaFactory().id, user_id=user.id))
    _db.session.flush()


def test_participation_costs_the_same_queries_with_three_times_the_contributions(
        client, db, auth):
    me = auth.login_as(UserFactory())
    _contributions(me, 4)
    small = queries_for(client, "/account/participation")
    _contributions(me, 8)
    large = queries_for(client, "/account/participation")
    assert small == large
    assert large <= MAX_QUERIES
