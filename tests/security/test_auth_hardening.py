"""Sign-in, sign-up and reset against brute force, bots, enumeration and session fixation."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import User
from app.models.base import utcnow
from tests.conftest import PASSWORD, AuthActions
from tests.factories import UserFactory
from tests.security.conftest import LimitedConfig, build_client

SIGNUP = {"display_name": "Ana López", "password": PASSWORD, "password_confirm": PASSWORD,
          "sector": "academia", "accept_terms": "y"}


def user_count(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


# --- rate limits -------------------------------------------------------------------------

def test_ten_failed_sign_ins_lock_the_account_for_a_while(limited_client, db):
    user = UserFactory()
    for attempt in range(10):
        email = user.email.upper() if attempt % 2 else f"  {user.email} "  # one account
        response = limited_client.post("/auth/login", data={"email": email, "password": "mala"})
        assert response.status_code == 400
    response = limited_client.post("/auth/login", data={"email": user.email,
                                                        "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_data(as_text=True)
    assert "Demasiadas solicitudes" in body and "Intente de nuevo en" in body
    assert '<html lang="es">' in body


def test_a_locked_account_does_not_lock_the_room(limited_client, db):
    victim, neighbour = UserFactory(), UserFactory()
    for _ in range(11):
        limited_client.post("/auth/login", data={"email": victim.email, "password": "mala"})
    response = limited_client.post("/auth/login", data={"email": neighbour.email,
                                                        "password": PASSWORD})
    assert response.status_code == 303


def test_successful_sign_ins_do_not_count_against_the_account(limited_client, db):
    user = UserFactory()
    for _ in range(12):
        response = limited_client.post("/auth/login", data={"email": user.email,
                                                            "password": PASSWORD})
        assert response.status_code == 303
        limited_client.post("/auth/logout")


def test_a_mesa_room_of_two_hundred_signs_in_and_up_from_one_address(limited_client, db):
    for n in range(200):
        response = limited_client.post("/auth/login", data={
            "email": f"sala{n}@ejemplo.org", "password": "no-existe-aun"})
        assert response.status_code == 400, n
    for n in range(200):
        response = limited_client.post("/auth/register", data={
            **SIGNUP, "email": f"sala{n}@ejemplo.org"})
        assert response.status_code == 303, n
        limited_client.post("/auth/logout")


class LowIPLimits(LimitedConfig):
    RATELIMIT_LOGIN_IP = "5 per 5 minutes"
    RATELIMIT_SIGNUP_IP = "3 per 5 minutes"
    RATELIMIT_RESET_IP = "3 per 5 minutes"


@pytest.mark.parametrize("path, data", [
    ("/auth/login", lambda n: {"email": f"x{n}@ejemplo.org", "password": "mala"}),
    ("/auth/register", lambda n: {**SIGNUP, "email": f"nueva{n}@ejemplo.org"}),
    ("/auth/reset", lambda n: {"email": f"x{n}@ejemplo.org"}),
])
def test_per_address_limits_exist_on_sign_in_sign_up_and_reset(db, path, data):
    from app.extensions import limiter

    limiter.reset()
    client = build_client(LowIPLimits)
    statuses = []
    for n in range(6):
        statuses.append(client.post(path, data=data(n)).status_code)
        client.post("/auth/logout")
    limiter.reset()
    assert statuses[-1] == 429 and 429 not in statuses[:3]


def test_reset_requests_are_limited_per_account(limited_client, db):
    user = UserFactory()
    statuses = [limited_client.post("/auth/reset", data={"email": user.email}).status_code
                for _ in range(6)]
    assert statuses[:5] == [303] * 5 and statuses[5] == 429


def test_get_requests_are_not_rate_limited(limited_client, db):
    for _ in range(30):
        assert limited_client.get("/auth/login").status_code == 200


# --- sessions ------------------------------------------------------------------------------

def test_sign_in_drops_whatever_the_session_held_before(client, db):
    user = UserFactory()
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
        session["csrf_token"] = "fixed-token"
        session["locale"] = "en"
    AuthActions(client).login_as(user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "fixed-token"
        assert session.get("locale") == "en"  # a preference, kept
        assert session.permanent


def test_session_cookie_flags(client, db):
    response = AuthActions(client).login(UserFactory().email)
    cookie = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_production_cookies_are_secure_and_sessions_expire_when_idle():
    from config import Config, ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE
    assert Config.SESSION_COOKIE_HTTPONLY and Config.REMEMBER_COOKIE_HTTPONLY
    assert Config.SESSION_COOKIE_SAMESITE == "Lax"
    assert Config.PERMANENT_SESSION_LIFETIME <= timedelta(hours=12)
    assert Config.SESSION_REFRESH_EACH_REQUEST


def test_a_role_change_signs_the_user_out(client, db):
    from app.auth.services import set_role

    user = UserFactory()
    AuthActions(client).login_as(user)
    assert client.get("/account").status_code == 200
    set_role(user, "moderator")
    db.session.flush()
    assert client.get("/account").status_code == 302


def test_password_reset_signs_out_other_sessions(client, db):
    from app.auth.services import set_password

    user = UserFactory()
    AuthActions(client).login_as(user)
    set_password(user, "otra-contrasena-larga")
    db.session.flush()
    assert client.get("/account").status_code == 302


# --- sign-up bots ----------------------------------------------------------------------------

class SlowSignup(LimitedConfig):
    RATELIMIT_ENABLED = False
    SIGNUP_MIN_SECONDS = 3


def _stamp(html: str) -> str:
    return re.search(r'name="form_started" type="hidden" value="([^"]+)"', html).group(1)


def test_a_form_sent_back_too_fast_or_without_its_stamp_stores_nothing(db):
    client = build_client(SlowSignup)
    stamp = _stamp(client.get("/auth/register").get_data(as_text=True))
    before = user_count(db)
    for started in (stamp, "", "forjado.123.abc"):
        response = client.post("/auth/register", data={
            **SIGNUP, "email": "rapida@ejemplo.org", "form_started": started})
        assert response.status_code == 400
        assert "Espere unos segundos" in response.get_data(as_text=True)
    assert user_count(db) == before


def test_a_form_filled_at_human_speed_is_accepted(db, monkeypatch):
    from app.auth import services

    client = build_client(SlowSignup)
    stamp = _stamp(client.get("/auth/register").get_data(as_text=True))
    later = utcnow() + timedelta(seconds=5)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    response = client.post("/auth/register", data={
        **SIGNUP, "email": "humana@ejemplo.org", "form_started": stamp})
    assert response.status_code == 303


def test_honeypot_answers_like_success_and_stores_nothing(client, db):
    before = user_count(db)
    response = client.post("/auth/register", data={
        **SIGNUP, "email": "bot@ejemplo.org", "website": "http://spam.example"})
    assert response.status_code == 303 and user_count(db) == before


# --- email confirmation and sign-up enumeration ----------------------------------------------

def _follow(client, response):
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_sign_up_answers_the_same_for_new_and_registered_emails(confirmation_client, db,
                                                                outbox):
    owner = UserFactory(email="duena@ejemplo.org")
    new = confirmation_client.post("/auth/register", data={**SIGNUP,
                                                           "email": "nueva@ejemplo.org"})
    new_page = _follow(confirmation_client, new)
    taken = confirmation_client.post("/auth/register", data={**SIGNUP,
                                                             "email": "DUENA@ejemplo.org"})
    taken_page = _follow(confirmation_client, taken)
    assert new.status_code == taken.status_code == 303
    assert new.headers["Location"] == taken.headers["Location"]
    strip = re.compile(r'name="csrf_token"[^>]*>|value="[^"]*"')
    assert strip.sub("", _without_csrf(new_page)) == strip.sub("", _without_csrf(taken_page))
    assert not any(c.startswith("session=") and "_user_id" in c
                   for c in new.headers.getlist("Set-Cookie"))
    assert [m.to for m in outbox] == ["nueva@ejemplo.org", owner.email]
    assert "/auth/confirm/" in outbox[0].body and "/auth/confirm/" not in outbox[1].body
    assert db.session.scalar(select(func.count(User.id)).where(
        User.email.in_(["nueva@ejemplo.org", "duena@ejemplo.org"]))) == 2


def test_confirmation_link_confirms_once_and_forged_links_do_not(confirmation_client, db,
                                                                 outbox):
    confirmation_client.post("/auth/register", data={**SIGNUP, "email": "conf@ejemplo.org"})
    user = db.session.scalar(select(User).where(User.email == "conf@ejemplo.org"))
    assert user.email_confirmed_at is None and not user.can_participate(True)
    link = re.search(r"(/auth/confirm/\S+)", outbox[0].body).group(1)
    assert confirmation_client.get(link + "x").status_code == 303
    db.session.refresh(user)
    assert user.email_confirmed_at is None
    response = confirmation_client.get(link)
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.email_confirmed_at is not None and user.can_participate(True)


def test_unconfirmed_user_can_ask_for_a_new_link(confirmation_client, db, outbox):
    user = UserFactory(email_confirmed_at=None)
    AuthActions(confirmation_client).login_as(user)
    page = confirmation_client.get("/account").get_data(as_text=True)
    assert "/auth/confirm/resend" in page
    assert confirmation_client.post("/auth/confirm/resend").status_code == 303
    assert outbox and "/auth/confirm/" in outbox[-1].body


# --- user enumeration on sign-in and reset ---------------------------------------------------

def _normalized(html: str, *emails: str) -> str:
    for email in emails:
        html = html.replace(email, "EMAIL")
    return _without_csrf(re.sub(r'name="csrf_token"[^>]*>', "", html))


def _without_csrf(html: str) -> str:
    """CSRF tokens carry a timestamp: two pages a second apart differ only there."""
    html = re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', html)
    return re.sub(r'value="[\w-]+\.[\w-]+\.[\w-]+"', 'value=""', html)


def test_sign_in_answers_the_same_for_unknown_emails_and_wrong_passwords(client, db,
                                                                         monkeypatch):
    from app.auth import passwords

    calls = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash",
                        lambda h, p: calls.append(h) or real(h, p))
    user = UserFactory()
    known = client.post("/auth/login", data={"email": user.email, "password": "mala-mala"})
    unknown = client.post("/auth/login", data={"email": "nadie@ejemplo.org",
                                               "password": "mala-mala"})
    assert known.status_code == unknown.status_code == 400
    assert _normalized(known.get_data(as_text=True), user.email) == \
        _normalized(unknown.get_data(as_text=True), "nadie@ejemplo.org")
    assert len(calls) == 2  # the unknown email was checked against a dummy hash too


def test_reset_answers_the_same_for_known_and_unknown_emails(client, db, outbox):
    user = UserFactory()
    known = client.post("/auth/reset", data={"email": user.email})
    unknown = client.post("/auth/reset", data={"email": "nadie@ejemplo.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert [m.to for m in outbox] == [user.email]


# --- open redirects -----------------------------------------------------------------------------

EVIL_TARGETS = [
    "https://evil.example/", "//evil.example", "///evil.example", "/\\evil.example",
    "\\\\evil.example", "\\/evil.example", "http:evil.example", "https:/evil.example",
    "javascript:alert(1)", "data:text/html,x", " //evil.example", "\t//evil.example",
    "/\t/evil.example", "evil.example", "%2F%2Fevil.example", "/%0d%0aSet-Cookie:x=1",
    "//evil.example@cocrea.local", "https://cocrea.local.evil.example/",
]


def _assert_same_site(response):
    from urllib.parse import urlsplit

    assert response.status_code in (302, 303), response.status_code
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert parts.netloc in ("", "localhost"), location
    assert not location.startswith("//") and "\\" not in location, location
    assert "evil" not in location, location


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_sign_in_next_never_leaves_the_site(client, db, target):
    user = UserFactory()
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    _assert_same_site(response)
    _assert_same_site(client.get("/auth/login", query_string={"next": target}))


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_language_switch_next_never_leaves_the_site(client, db, target):
    _assert_same_site(client.post("/language", data={"locale": "en", "next": target}))


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_referrer_based_redirects_stay_on_the_site(app, target):
    from app.urls import back_to_referrer

    with app.test_request_context("/", method="POST", data={"next": target},
                                  headers={"Referer": target}):
        result = back_to_referrer("/fallback")
    assert result == "/fallback" or (
        result.startswith("/") and not result.startswith("//") and "evil" not in result
        and "\\" not in result and "\n" not in result)


def test_no_view_redirects_to_raw_request_input():
    from pathlib import Path

    pattern = re.compile(r"redirect\(\s*(request\.|request\b)")
    offenders = [str(path) for path in Path("app").rglob("*.py")
                 if pattern.search(path.read_text())]
    assert not offenders
