"""The trail of a commitment (app/traceability/trail.py): sources, decisions, mesas,
documents, and a constant number of queries."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Commitment, ModerationAction
from app.models.base import utcnow
from app.repository import services as repository_services
from app.traceability import trail as trail_module
from app.traceability.trail import Section, trail_of, trail_section
from tests.bench.test_query_counts import counting_queries
from tests.factories import (
    CommentFactory,
    DocumentFactory,
    MesaFactory,
    ModeratorFactory,
    ProposalFactory,
    ThemeFactory,
)


def _commitment(theme, *sources):
    number = _db.session.scalar(select(func.count()).select_from(Commitment)
                                .where(Commitment.plan_id == theme.plan_id)) + 1
    commitment = Commitment(plan_id=theme.plan_id, theme_id=theme.id, number=number,
                            title=f"Compromiso {number}")
    commitment.source_proposals.extend(sources)
    _db.session.add(commitment)
    _db.session.flush()
    return commitment


def _decide(proposal, status, reason, moderator):
    _db.session.add(ModerationAction(moderator_id=moderator.id, action="decision",
                                     target_type="proposal", target_id=proposal.id,
                                     from_status="open", to_status=status, reason=reason))
    _db.session.flush()


def test_the_trail_holds_the_sources_with_supports_and_their_newest_visible_comments(db):
    theme = ThemeFactory()
    source = ProposalFactory(theme=theme, status="accepted", vote_count=7)
    hidden_source = ProposalFactory(theme=theme, status="accepted", hidden=True)
    now = utcnow()
    for minutes in range(5):
        CommentFactory(proposal_id=source.id, body=f"Comentario {minutes}",
                       created_at=now - timedelta(minutes=minutes))
    CommentFactory(proposal_id=source.id, body="Oculto", hidden=True, created_at=now)
    trail = trail_of(_commitment(theme, source, hidden_source))
    assert [entry.proposal for entry in trail.sources] == [source]
    assert [comment.body for comment in trail.sources[0].recent_comments] == [
        "Comentario 0", "Comentario 1", "Comentario 2"]


def test_the_trail_holds_proposals_merged_into_a_source_and_every_public_decision(db):
    theme, moderator = ThemeFactory(), ModeratorFactory()
    source = ProposalFactory(theme=theme, status="accepted")
    folded = ProposalFactory(theme=theme, status="merged", merged_into_id=source.id)
    unrelated = ProposalFactory(theme=theme, status="rejected")
    _decide(source, "accepted", "Se incorpora como compromiso del plan.", moderator)
    _decide(folded, "merged", "Se integra en la propuesta más apoyada.", moderator)
    _decide(unrelated, "rejected", "No corresponde a esta temática.", moderator)
    trail = trail_of(_commitment(theme, source))
    assert trail.sources[0].merged == [folded]
    assert [(action.reason, proposal) for action, proposal in trail.decisions] == [
        ("Se incorpora como compromiso del plan.", source),
        ("Se integra en la propuesta más apoyada.", folded)]


def test_the_trail_holds_the_mesas_of_its_theme_with_their_documents(db):
    theme = ThemeFactory()
    first = MesaFactory(theme=theme, starts_at=utcnow() - timedelta(days=20))
    MesaFactory(theme=theme, cancelled_at=utcnow(), cancel_reason="Sin quórum suficiente")
    MesaFactory(theme=ThemeFactory())  # another theme's
    minutes = DocumentFactory(plan=theme.plan, mesa=first, title="Minuta de la mesa")
    DocumentFactory(plan=theme.plan, mesa=first, title="Retirada", withdrawn_at=utcnow(),
                    withdrawn_reason="Publicada por error")
    trail = trail_of(_commitment(theme))
    assert [record.mesa for record in trail.mesas] == [first]
    assert trail.mesas[0].documents == [minutes]


def test_a_mesa_with_many_documents_shows_its_first_ones_and_says_there_are_more(
        db, monkeypatch):
    monkeypatch.setattr(repository_services, "MESA_DOCUMENTS", 2)
    theme = ThemeFactory()
    busy = MesaFactory(theme=theme, starts_at=utcnow() - timedelta(days=20))
    quiet = MesaFactory(theme=theme, starts_at=utcnow() - timedelta(days=10))
    start = utcnow().date() - timedelta(days=30)
    filed = [DocumentFactory(plan=theme.plan, mesa=busy, document_date=start + timedelta(days=n))
             for n in range(3)]
    only = DocumentFactory(plan=theme.plan, mesa=quiet)
    busy_record, quiet_record = trail_of(_commitment(theme)).mesas
    assert {d.id for d in busy_record.documents} == {filed[0].id, filed[1].id}
    assert busy_record.documents.more
    assert quiet_record.documents == [only] and not quiet_record.documents.more


def test_the_trail_shows_the_commitments_newest_documents_and_says_there_are_more(
        db, monkeypatch):
    monkeypatch.setattr(trail_module, "COMMITMENT_DOCUMENTS", 2)
    theme = ThemeFactory()
    commitment = _commitment(theme)
    start = utcnow().date() - timedelta(days=30)
    filed = [DocumentFactory(plan=theme.plan, commitment=commitment,
                             document_date=start + timedelta(days=n)) for n in range(3)]
    trail = trail_of(commitment)
    assert trail.documents == [filed[2], filed[1]] and trail.more_documents


def test_the_trail_page_links_a_busy_mesa_to_its_documents_in_the_repository(
        client, db, monkeypatch):
    monkeypatch.setattr(repository_services, "MESA_DOCUMENTS", 1)
    theme = ThemeFactory()
    mesa = MesaFactory(theme=theme, starts_at=utcnow() - timedelta(days=20))
    for _ in range(2):
        DocumentFactory(plan=theme.plan, mesa=mesa)
    commitment = _commitment(theme)
    _db.session.commit()
    html = client.get(f"/plan/commitments/{commitment.id}/trail").get_data(as_text=True)
    assert f'href="/repository?mesa={mesa.id}"' in html


def test_the_trail_holds_the_commitments_own_documents(db):
    theme = ThemeFactory()
    commitment = _commitment(theme)
    evidence = DocumentFactory(plan=theme.plan, commitment=commitment, type="evidence",
                               title="Informe de avance")
    DocumentFactory(plan=theme.plan, title="Otro documento")
    assert trail_of(commitment).documents == [evidence]


def test_other_features_add_sections_through_the_hook(db, monkeypatch):
    monkeypatch.setattr(trail_module, "TRAIL_SECTIONS", [])
    trail_section(lambda commitment: Section("avances", "Avances", "x.html", [commitment.id]))
    trail_section(lambda commitment: None)  # a feature with nothing to show
    commitment = _commitment(ThemeFactory())
    assert [(s.key, s.items) for s in trail_of(commitment).sections] == [
        ("avances", [commitment.id])]


def _queries_for_trail(commitment) -> int:
    trail_of(commitment)
    with counting_queries() as statements:
        trail_of(commitment)
    return len(statements)


def test_the_trail_costs_the_same_queries_with_three_times_the_record(db):
    theme, moderator = ThemeFactory(), ModeratorFactory()
    commitment = _commitment(theme)

    def grow():
        source = ProposalFactory(theme=theme, status="accepted")
        commitment.source_proposals.append(source)
        for _ in range(2):
            CommentFactory(proposal_id=source.id)
        _decide(source, "accepted", "Se incorpora como compromiso del plan.", moderator)
        folded = ProposalFactory(theme=theme, status="merged", merged_into_id=source.id)
        _decide(folded, "merged", "Se integra en la propuesta de origen.", moderator)
        mesa = MesaFactory(theme=theme, starts_at=utcnow() - timedelta(days=3))
        DocumentFactory(plan=theme.plan, mesa=mesa)
        DocumentFactory(plan=theme.plan, commitment=commitment)
        _db.session.flush()

    grow()
    _db.session.expire_all()
    few = _queries_for_trail(commitment)
    for _ in range(2):
        grow()
    _db.session.expire_all()
    assert _queries_for_trail(commitment) == few <= 8


def test_the_trail_template_links_every_part_of_the_record(db, app):
    from flask import render_template

    theme, moderator = ThemeFactory(), ModeratorFactory()
    source = ProposalFactory(theme=theme, status="accepted", title="Datos de compras <b>")
    comment = CommentFactory(proposal_id=source.id, body="Que incluya los municipios.")
    _decide(source, "accepted", "Se incorpora como compromiso del plan.", moderator)
    mesa = MesaFactory(theme=theme, starts_at=utcnow() - timedelta(days=3))
    minutes = DocumentFactory(plan=theme.plan, mesa=mesa, title="Minuta de la mesa 3")
    commitment = _commitment(theme, source)
    evidence = DocumentFactory(plan=theme.plan, commitment=commitment, type="evidence",
                               title="Informe de avance")
    with app.test_request_context("/"):
        html = render_template("traceability/_trail.html", trail=trail_of(commitment))
    assert f'href="/proposals/{source.id}"' in html
    assert "Datos de compras &lt;b&gt;" in html
    assert f'href="/proposals/{source.id}#comentario-{comment.id}"' in html
    assert "Se incorpora como compromiso del plan." in html
    for document in (minutes, evidence):
        assert f'href="/repository/{document.id}/{document.original_filename}"' in html
    assert f'href="/repository?commitment={commitment.id}"' in html


def test_the_trail_page_shows_the_record_and_htmx_gets_the_fragment_alone(client, db):
    theme = ThemeFactory()
    source = ProposalFactory(theme=theme, status="accepted", title="Compras abiertas")
    commitment = _commitment(theme, source)
    page = client.get(f"/plan/commitments/{commitment.id}/trail")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>" in html and "Compras abiertas" in html
    fragment = client.get(f"/plan/commitments/{commitment.id}/trail",
                          headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith("<section") and "<h1>" not in body
    assert "HX-Request" in fragment.headers["Vary"]
    assert client.get("/plan/commitments/999999/trail").status_code == 404


def test_the_trail_page_costs_the_same_eight_queries_with_three_times_the_record(client, db):
    from tests.bench.test_query_counts import queries_for

    theme, moderator = ThemeFactory(), ModeratorFactory()
    commitment = _commitment(theme)
    url = f"/plan/commitments/{commitment.id}/trail"

    def grow():
        source = ProposalFactory(theme=theme, status="accepted")
        commitment.source_proposals.append(source)
        CommentFactory(proposal_id=source.id)
        _decide(source, "accepted", "Se incorpora como compromiso del plan.", moderator)
        mesa = MesaFactory(theme=theme, starts_at=utcnow() - timedelta(days=3))
        DocumentFactory(plan=theme.plan, mesa=mesa)
        DocumentFactory(plan=theme.plan, commitment=commitment)
        _db.session.flush()

    grow()
    few = queries_for(client, url)
    for _ in range(2):
        grow()
    assert queries_for(client, url) == few <= 8  # seven, and the progress updates count


def test_the_commitment_page_loads_the_trail_and_links_it_without_javascript(client, db):
    theme = ThemeFactory()
    commitment = _commitment(theme, ProposalFactory(theme=theme, status="accepted"))
    html = client.get(f"/plan/commitments/{commitment.id}").get_data(as_text=True)
    url = f"/plan/commitments/{commitment.id}/trail"
    assert f'hx-get="{url}" hx-trigger="load"' in html
    assert f'<a href="{url}">' in html
    trail = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'href="/plan/consultation?commitment={commitment.id}"' in trail
