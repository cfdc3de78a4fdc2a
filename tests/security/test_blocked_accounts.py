"""A blocked account cannot change the name shown on all its content."""
from __future__ import annotations

from tests.factories import UserFactory

PROFILE = {"sector": "academia", "organization": "", "locale": "es"}


def test_blocked_account_cannot_change_its_display_name(client, auth, db):
    user = auth.login_as(UserFactory(display_name="Nombre real", blocked_reason="Spam"))
    response = client.post("/account", data={**PROFILE, "display_name": "Moderación oficial"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "no puede cambiar su nombre" in html
    assert 'value="Moderación oficial"' in html  # the input is kept
    db.session.refresh(user)
    assert user.display_name == "Nombre real"


def test_blocked_account_may_still_change_its_preferences(client, auth, db):
    user = auth.login_as(UserFactory(display_name="Nombre real", blocked_reason="Spam",
                                     notify_comments=True))
    response = client.post("/account", data={**PROFILE, "display_name": " Nombre real "})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.display_name == "Nombre real" and user.notify_comments is False


def test_an_account_in_good_standing_may_rename_itself(client, auth, db):
    user = auth.login_as(UserFactory(display_name="Antes"))
    assert client.post("/account", data={**PROFILE, "display_name": " Después "}
                       ).status_code == 303
    db.session.refresh(user)
    assert user.display_name == "Después"
