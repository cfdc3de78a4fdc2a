"""/plan keeps the document's HTML per content: never stale, never the moderators' controls
for a reader, and a page built from plain rows (3 queries for the document)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db as _db
from app.models import Proposal, Theme
from app.moderation.services import decide_proposal
from app.plan import rendering, services
from app.plan.serializers import load_commitments
from tests.factories import ModeratorFactory, ProposalFactory

RESPONSE = "Aceptada: responde a un problema público priorizado en la mesa técnica."


def _accepted(seeded_theme, moderator, **fields):
    proposal = ProposalFactory(theme=seeded_theme, **fields)
    decide_proposal(moderator, proposal, "accepted", RESPONSE)
    return proposal, services.commitments_of(proposal)[0]


def _first_theme():
    """The current plan's first theme (the seed also loads the previous plan, whose theme
    positions repeat)."""
    from app.plans.services import current_plan_id_subquery

    return _db.session.scalar(select(Theme).where(Theme.plan_id == current_plan_id_subquery())
                              .order_by(Theme.position, Theme.id).limit(1))


def test_a_support_on_a_source_proposal_shows_at_once_on_a_kept_plan(client, seeded):
    rendering.forget()
    moderator = ModeratorFactory()
    proposal, _ = _accepted(_first_theme(), moderator, title="Compras abiertas", vote_count=41)
    assert "41 apoyos" in client.get("/plan").get_data(as_text=True)
    assert len(rendering._kept) == 1

    _db.session.execute(Proposal.__table__.update().where(Proposal.id == proposal.id)
                        .values(vote_count=42))
    page = client.get("/plan").get_data(as_text=True)

    assert "42 apoyos" in page and "41 apoyos" not in page
    assert len(rendering._kept) == 2


def test_an_edited_commitment_shows_at_once_and_the_same_content_is_reused(client, seeded):
    rendering.forget()
    moderator = ModeratorFactory()
    _, commitment = _accepted(_first_theme(), moderator)
    client.get("/plan")
    client.get("/plan")
    assert len(rendering._kept) == 1

    services.update_commitment(commitment, {"title": "Título revisado por la mesa"})
    _db.session.flush()

    assert "Título revisado por la mesa" in client.get("/plan").get_data(as_text=True)


def test_readers_never_get_the_moderators_controls_from_a_kept_render(client, auth, seeded):
    rendering.forget()
    moderator = ModeratorFactory()
    _, commitment = _accepted(_first_theme(), moderator)
    edit = f"/plan/commitments/{commitment.id}/edit"
    auth.login_as(moderator)
    assert edit in client.get("/plan").get_data(as_text=True)
    client.post("/auth/logout")

    assert edit not in client.get("/plan").get_data(as_text=True)
    auth.login_as(moderator)
    assert edit in client.get("/plan").get_data(as_text=True)


def test_commitments_load_as_plain_rows_with_their_milestones_and_sources(seeded):
    moderator = ModeratorFactory()
    proposal, commitment = _accepted(_first_theme(), moderator, vote_count=7)
    services.add_milestone(commitment, {"description": "Hito uno", "deliverable": "Informe"})
    services.add_milestone(commitment, {"description": "Hito dos", "deliverable": "Portal"})
    _db.session.flush()

    [row] = load_commitments(services.current_plan())

    assert row.id == commitment.id and row.theme.slug == _first_theme().slug
    assert [m.description for m in row.milestones] == ["Hito uno", "Hito dos"]
    assert [(p.id, p.vote_count) for p in row.source_proposals] == [(proposal.id, 7)]
