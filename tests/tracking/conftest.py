"""A plan in implementation with one commitment of three milestones, its steward, a
moderator, an admin and a participant; helpers to post updates."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from app.extensions import db as _db
from app.models import Commitment, CommitmentSteward, Milestone
from tests.factories import ModeratorFactory, ThemeFactory, UserFactory


def add_commitment(theme, number: int, title: str = "Datos abiertos de compras",
                   institution: str = "Ministerio de Finanzas Públicas",
                   milestones: int = 3) -> Commitment:
    commitment = Commitment(plan_id=theme.plan_id, theme_id=theme.id, number=number,
                            title=title, lead_institution=institution)
    for position in range(1, milestones + 1):
        commitment.milestones.append(Milestone(
            position=position, description=f"Hito {position}",
            start_date=date(2030, 1, 1), end_date=date(2030, 6, position)))
    _db.session.add(commitment)
    _db.session.flush()
    return commitment


def name(commitment, user) -> None:
    _db.session.add(CommitmentSteward(commitment_id=commitment.id, user_id=user.id))
    _db.session.flush()
    _db.session.expire(commitment, ["stewards"])


def update_data(commitment, **values) -> dict:
    data = {"summary": "Se publicó el **portal**.", "progress": "40", "obstacles": "",
            "evidence_url": ["https://datos.example.gt/compras"]}
    for milestone in commitment.milestones:
        data[f"milestone-{milestone.id}-status"] = milestone.status
    data.update(values)
    return data


@pytest.fixture
def tracked(db):
    theme = ThemeFactory()
    plan = theme.plan
    plan.status = "implementation"
    commitment = add_commitment(theme, 1)
    steward = UserFactory(role="public_servant", sector="sector_publico",
                          institution="Ministerio de Finanzas Públicas")
    name(commitment, steward)
    _db.session.flush()
    return SimpleNamespace(
        plan=plan, theme=theme, commitment=commitment, steward=steward,
        moderator=ModeratorFactory(), admin=UserFactory(role="admin", sector="sector_publico"),
        participant=UserFactory())


from tests.api.conftest import spec, validate  # noqa: E402,F401 - fixtures
