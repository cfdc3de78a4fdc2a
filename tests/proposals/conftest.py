"""Fixtures for the proposals tests."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models.base import utcnow
from tests.factories import ModeratorFactory, ThemeFactory, UserFactory


def proposal_form(theme_slug: str | None = None, **overrides) -> dict:
    """A complete, valid submission of /proposals/new."""
    data = {
        "theme": theme_slug,
        "title": "Datos abiertos de la obra pública municipal",
        "problem": "La ciudadanía no conoce el avance ni el costo de las obras.",
        "cause": "Cada municipalidad publica en formatos distintos.",
        "description": "Publicar cada mes el avance físico y financiero de cada obra.",
        "contribution": "Permite vigilar el gasto y detectar atrasos a tiempo.",
        "ogp_values": ["transparency", "accountability"],
        "lead_institution": "Ministerio de Comunicaciones",
        "partners": "Red Ciudadana; Asociación Nacional de Municipalidades",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def theme(db):
    return ThemeFactory()


@pytest.fixture
def closed_theme(db):
    return ThemeFactory(proposals_open_at=utcnow() - timedelta(days=60),
                        proposals_close_at=utcnow() - timedelta(days=1))


@pytest.fixture
def participant(db):
    return UserFactory()


@pytest.fixture
def moderator(db):
    return ModeratorFactory()
