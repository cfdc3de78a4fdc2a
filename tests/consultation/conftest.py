"""A plan with two commitments, a published version and a consultation open on it."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.extensions import db as _db
from app.models import Comment, Commitment, Consultation, Milestone
from app.models.base import utcnow
from app.plan.services import publish_version
from app.text import render_markdown
from tests.factories import ModeratorFactory, ProposalFactory, ThemeFactory, UserFactory


def add_commitment(theme, number: int, title: str) -> Commitment:
    source = ProposalFactory(theme=theme, status="accepted")
    commitment = Commitment(plan_id=theme.plan_id, theme_id=theme.id, number=number,
                            title=title, problem="Los datos de compras no se publican.",
                            description="Publicar cada mes los datos de compras.",
                            lead_institution="Ministerio de Finanzas Públicas")
    commitment.source_proposals.append(source)
    commitment.milestones.append(Milestone(position=1, description="Portal publicado"))
    _db.session.add(commitment)
    _db.session.flush()
    return commitment


def add_comment(commitment, author, body="Propongo publicar también los contratos.",
                **values) -> Comment:
    if values.get("disposition_response"):
        values.setdefault("disposition_response_html",
                          render_markdown(values["disposition_response"]))
    comment = Comment(commitment_id=commitment.id, author_id=author.id, body=body,
                      body_html=render_markdown(body), created_at=utcnow(), **values)
    _db.session.add(comment)
    _db.session.flush()
    return comment


@pytest.fixture
def consultation_plan(db):
    theme = ThemeFactory()
    plan = theme.plan
    first = add_commitment(theme, 1, "Datos abiertos de compras públicas")
    second = add_commitment(theme, 2, "Presupuesto ciudadano")
    admin = UserFactory(role="admin", sector="sector_publico")
    moderator = ModeratorFactory()
    participant = UserFactory()
    version = publish_version(plan, moderator, "Borrador v1")
    now = utcnow()
    consultation = Consultation(plan_id=plan.id, version_id=version.id, version=version,
                                opens_at=now - timedelta(days=1),
                                closes_at=now + timedelta(days=14),
                                opened_by_id=admin.id)
    db.session.add(consultation)
    plan.status = "consultation"
    db.session.flush()
    return SimpleNamespace(plan=plan, theme=theme, first=first, second=second, admin=admin,
                           moderator=moderator, participant=participant, version=version,
                           consultation=consultation)


def close_window(consultation) -> None:
    """Move the window into the past (it closed yesterday)."""
    now = utcnow()
    consultation.opens_at = now - timedelta(days=20)
    consultation.closes_at = now - timedelta(days=1)
    _db.session.flush()


from tests.api.conftest import spec, validate  # noqa: E402,F401 - fixtures
