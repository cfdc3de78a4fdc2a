"""Query and form numbers written with non-ASCII digits ("²", "٣") are refused cleanly:
`str.isdigit()` accepts them but `int()` does not, which was a 500."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models.base import utcnow
from tests.factories import MesaFactory, ModeratorFactory, ProposalFactory

DIGITS = ["²", "٣", "1²"]


@pytest.mark.parametrize("value", DIGITS)
def test_transparency_log_page(client, db, value):
    assert client.get(f"/transparency?page={value}").status_code == 200


@pytest.mark.parametrize("value", DIGITS)
def test_comment_pages(client, db, value):
    proposal = ProposalFactory()
    assert client.get(f"/proposals/{proposal.id}?comments_page={value}").status_code == 200


@pytest.mark.parametrize("value", DIGITS)
def test_history_versions(client, db, value):
    proposal = ProposalFactory()
    response = client.get(f"/proposals/{proposal.id}/history?from={value}")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", [*DIGITS, "9" * 30])
def test_mesa_attendance(client, db, auth, value):
    start = utcnow() - timedelta(days=2)
    mesa = MesaFactory(starts_at=start, ends_at=start + timedelta(hours=7))
    auth.login_as(ModeratorFactory())
    response = client.post(f"/mesas/{mesa.id}/attendance", data={"attended": value})
    assert response.status_code == 400
