"""Roles are checked in one place: role_required and the model permission methods."""
from __future__ import annotations

import pytest

from tests.factories import ModeratorFactory, UserFactory

MODERATOR_URLS = ["/moderation"]
SIGNED_IN_URLS = ["/account"]


@pytest.mark.parametrize("url", MODERATOR_URLS + SIGNED_IN_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("url", MODERATOR_URLS)
@pytest.mark.parametrize("role", ["participant", "public_servant"])
def test_participants_and_public_servants_may_not_moderate(client, auth, url, role):
    auth.login_as(UserFactory(role=role))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", MODERATOR_URLS)
@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_and_admins_may_moderate(client, auth, url, role):
    auth.login_as(ModeratorFactory(role=role))
    assert client.get(url).status_code == 200


def test_role_change_rotates_the_session(client, auth, db):
    from app.auth.services import set_role

    user = auth.login_as(UserFactory())
    set_role(user, "moderator")
    db.session.flush()
    assert client.get("/account").status_code == 302  # old session no longer valid


def test_cli_creates_a_moderator_and_sets_roles(runner, db):
    from app.auth.services import find_user_by_email

    result = runner.invoke(args=["users", "create", "Mod@Ejemplo.org", "--role", "moderator",
                                 "--password-stdin"], input="una-clave-larga-123\n")
    assert result.exit_code == 0, result.output
    user = find_user_by_email("mod@ejemplo.org")
    assert user.role == "moderator"
    result = runner.invoke(args=["users", "set-role", "mod@ejemplo.org", "admin"])
    assert result.exit_code == 0, result.output
    assert find_user_by_email("mod@ejemplo.org").role == "admin"


def test_cli_refuses_a_short_password(runner, db):
    result = runner.invoke(args=["users", "create", "x@ejemplo.org", "--password-stdin"],
                           input="corta\n")
    assert result.exit_code != 0
