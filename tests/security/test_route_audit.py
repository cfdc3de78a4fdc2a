"""Every route, read from the URL map: CSRF on each POST, role checks on moderation, login."""
from __future__ import annotations

import pytest

from app import create_app
from app.extensions import csrf
from tests.conftest import AuthActions, SuiteConfig
from tests.security.conftest import CSRFConfig, build_client, csrf_token_from
from tests.security.routes import get_routes, post_routes

_APP = create_app(SuiteConfig)  # only to read the URL map at collection time
POST_ROUTES = post_routes(_APP)
GET_ROUTES = get_routes(_APP)

# POST routes open to anonymous visitors; every other POST route needs a signed-in user.
ANONYMOUS_POSTS = {
    "auth.login", "auth.register", "auth.reset_request", "auth.reset_password",
    "main.set_language",
}
# Deliberate exemptions, each with its reason. Keep this list short.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: mail clients POST without a form token; the signed,
    # per-user token in the URL is the authorization, and it only turns a notice off.
    "comments.unsubscribe",
}
ANONYMOUS_POSTS |= {"comments.unsubscribe"}
CSRF_MESSAGE = "El formulario caducó o no es válido".encode()


def _view(app, route):
    return app.view_functions[route.endpoint]


def test_the_route_map_has_post_routes_to_audit():
    assert len(POST_ROUTES) >= 8


@pytest.mark.parametrize("route", [r for r in POST_ROUTES if r.endpoint not in CSRF_EXEMPT],
                         ids=str)
def test_no_post_route_is_exempt_from_csrf(app, route):
    view = _view(app, route)
    blueprint = route.endpoint.rpartition(".")[0]
    assert f"{view.__module__}.{view.__name__}" not in csrf._exempt_views
    assert blueprint not in csrf._exempt_blueprints
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True)


def test_csrf_is_on_outside_the_test_suite():
    from config import DevelopmentConfig, ProductionConfig

    for config in (DevelopmentConfig, ProductionConfig):
        assert getattr(config, "WTF_CSRF_ENABLED", True) is True


@pytest.mark.parametrize("route", [r for r in POST_ROUTES + GET_ROUTES
                                   if r.rule.rule.startswith("/moderation")], ids=str)
def test_every_moderation_route_requires_the_moderator_role(app, route):
    assert getattr(_view(app, route), "required_role", None) in {"moderator", "admin"}


@pytest.mark.parametrize("route", [r for r in POST_ROUTES + GET_ROUTES
                                   if r.rule.rule.startswith("/moderation")], ids=str)
@pytest.mark.parametrize("role", ["participant", "public_servant"])
def test_moderation_routes_refuse_participants_and_public_servants(client, db, route, role):
    from tests.factories import UserFactory

    AuthActions(client).login_as(UserFactory(role=role))
    response = client.open(route.url(), method=route.method)
    assert response.status_code == 403


@pytest.mark.parametrize("route", [r for r in POST_ROUTES
                                   if r.endpoint not in ANONYMOUS_POSTS], ids=str)
def test_post_routes_need_a_signed_in_user(client, db, route):
    response = client.post(route.url(), data={"body": "x", "reason": "spam"})
    assert response.status_code in (302, 401), response.data[:300]
    if response.status_code == 302:
        assert "/auth/login" in response.headers["Location"]


CSRF_CHECKED = [r for r in POST_ROUTES if r.endpoint not in CSRF_EXEMPT]


class TestCSRFOnEveryPostRoute:
    """Missing, forged and other-session tokens are refused before any view runs."""

    @pytest.fixture
    def pair(self, db):
        from tests.factories import UserFactory

        me, other = build_client(CSRFConfig), build_client(CSRFConfig)
        user, stranger = UserFactory(), UserFactory()
        for client, person in ((me, user), (other, stranger)):
            token = csrf_token_from(client.get("/auth/login").data.decode())
            response = client.post("/auth/login", data={
                "email": person.email, "password": "correcto-caballo-bateria",
                "csrf_token": token})
            assert response.status_code == 303
        return me, other

    @pytest.mark.parametrize("route", CSRF_CHECKED, ids=str)
    def test_missing_token(self, pair, route):
        me, _ = pair
        response = me.post(route.url(), data={"body": "x"})
        assert response.status_code == 400 and CSRF_MESSAGE in response.data

    @pytest.mark.parametrize("route", CSRF_CHECKED, ids=str)
    def test_forged_token(self, pair, route):
        me, _ = pair
        response = me.post(route.url(), data={"csrf_token": "forged.token.value"},
                           headers={"X-CSRFToken": "forged"})
        assert response.status_code == 400 and CSRF_MESSAGE in response.data

    @pytest.mark.parametrize("route", CSRF_CHECKED, ids=str)
    def test_token_from_another_session(self, pair, route):
        me, other = pair
        foreign = csrf_token_from(other.get("/account").data.decode())
        response = me.post(route.url(), data={"csrf_token": foreign})
        assert response.status_code == 400 and CSRF_MESSAGE in response.data
        response = me.post(route.url(), headers={"X-CSRFToken": foreign})
        assert response.status_code == 400 and CSRF_MESSAGE in response.data

    def test_own_token_passes_the_check(self, pair):
        me, _ = pair
        token = csrf_token_from(me.get("/account").data.decode())
        response = me.post("/language", data={"csrf_token": token, "locale": "es"})
        assert response.status_code == 303
        response = me.post("/language", data={"locale": "es"}, headers={"X-CSRFToken": token})
        assert response.status_code == 303
