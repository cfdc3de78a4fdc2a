"""One person, several devices: each sign-in is its own session, ended on its own."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from app.auth import devices
from app.models import UserSession
from app.models.base import utcnow
from tests.conftest import PASSWORD, AuthActions
from tests.factories import ModeratorFactory, UserFactory

PHONE = ("Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Mobile Safari/537.36")
LAPTOP = ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def sessions_of(db, user) -> list[UserSession]:
    return list(db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
        .execution_options(populate_existing=True)))


def login(client, user, agent: str = LAPTOP, **extra):
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                                **extra}, headers={"User-Agent": agent})
    assert response.status_code == 303, response.data
    return response


def test_signing_in_on_a_second_device_keeps_the_first_signed_in(client, other_client, db):
    user = UserFactory()
    login(client, user, LAPTOP)
    login(other_client, user, PHONE)
    assert signed_in(client) and signed_in(other_client)
    rows = sessions_of(db, user)
    assert len(rows) == 2 and rows[0].token_hash != rows[1].token_hash


def test_each_session_records_its_device_and_only_the_network_of_its_address(client, db):
    user = UserFactory()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    login(client, user, PHONE)
    (row,) = sessions_of(db, user)
    assert row.device == "Chrome Mobile · Android · Samsung SM-A536B"
    assert row.ip_network == "203.0.113.0/24" and "77" not in row.ip_network
    assert row.created_at and row.last_seen_at and not row.remember


def test_ipv6_addresses_keep_only_their_48_bit_network():
    assert devices.truncate_ip("2001:db8:abcd:12:1:2:3:4") == "2001:db8:abcd::/48"
    assert devices.truncate_ip("::ffff:198.51.100.9") == "198.51.100.0/24"
    assert devices.truncate_ip("no-es-una-ip") is None


def test_the_database_keeps_a_hash_never_the_token_of_the_cookie(client, db):
    user = UserFactory()
    login(client, user)
    with client.session_transaction() as session:
        token = session["_user_id"].partition(":")[2]
    (row,) = sessions_of(db, user)
    assert token and row.token_hash == devices.hash_token(token) and token not in row.token_hash


def test_sessions_page_lists_every_device_and_marks_this_one(client, other_client, db):
    user = UserFactory()
    login(client, user, LAPTOP)
    login(other_client, user, PHONE)
    page = client.get("/account/sessions").get_data(as_text=True)
    assert "Firefox · Ubuntu" in page and "Chrome Mobile · Android" in page
    assert page.count("Este dispositivo") == 1
    assert "/account/sessions/revoke-others" in page


def test_a_device_name_from_a_hostile_user_agent_is_shown_as_text(client, db):
    user = UserFactory()
    login(client, user, "<script>alert(1)</script>/1.0 (<img src=x onerror=alert(1)>)")
    page = client.get("/account/sessions").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page


def test_revoking_a_device_signs_it_out_and_leaves_this_one(client, other_client, db):
    user = UserFactory()
    login(client, user, LAPTOP)
    login(other_client, user, PHONE)
    phone = next(row for row in sessions_of(db, user) if "Android" in row.device)
    response = client.post(f"/account/sessions/{phone.id}/revoke")
    assert response.status_code == 303 and response.headers["Location"] == "/account/sessions"
    assert signed_in(client) and not signed_in(other_client)
    assert len(sessions_of(db, user)) == 1


def test_revoking_this_device_is_a_sign_out(client, db):
    user = UserFactory()
    login(client, user)
    (row,) = sessions_of(db, user)
    assert client.post(f"/account/sessions/{row.id}/revoke").status_code == 303
    assert not signed_in(client) and sessions_of(db, user) == []


def test_nobody_revokes_another_persons_session(client, other_client, db):
    owner, intruder = UserFactory(), UserFactory()
    login(other_client, owner)
    (row,) = sessions_of(db, owner)
    login(client, intruder)
    assert client.post(f"/account/sessions/{row.id}/revoke").status_code == 404
    assert signed_in(other_client)
    assert client.post("/account/sessions/999999/revoke").status_code == 404


def test_revoke_others_signs_out_every_other_device(app, client, db):
    user = UserFactory()
    login(client, user)
    others = [app.test_client() for _ in range(3)]
    for other in others:
        login(other, user, PHONE)
    response = client.post("/account/sessions/revoke-others")
    assert response.status_code == 303
    assert signed_in(client) and not any(signed_in(other) for other in others)
    assert len(sessions_of(db, user)) == 1


def test_sign_out_ends_this_device_only(client, other_client, db):
    user = UserFactory()
    login(client, user)
    login(other_client, user, PHONE)
    AuthActions(client).logout()
    assert not signed_in(client) and signed_in(other_client)
    assert len(sessions_of(db, user)) == 1


def test_a_stolen_session_cookie_dies_on_sign_out(app, client, db):
    user = UserFactory()
    login(client, user)
    stolen = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert signed_in(thief)
    AuthActions(client).logout()
    assert not signed_in(thief)


def test_remember_me_cookies_belong_to_their_device(app, client, other_client, db):
    user = UserFactory()
    login(client, user, LAPTOP, remember="y")
    login(other_client, user, PHONE, remember="y")
    laptop_cookie = client.get_cookie("remember_token").value
    phone_cookie = other_client.get_cookie("remember_token").value
    assert laptop_cookie != phone_cookie
    AuthActions(client).logout()
    revived_laptop, revived_phone = app.test_client(), app.test_client()
    revived_laptop.set_cookie("remember_token", laptop_cookie)
    revived_phone.set_cookie("remember_token", phone_cookie)
    assert not signed_in(revived_laptop)  # signed out there: its remember-me cookie died too
    assert signed_in(revived_phone)


def test_a_planted_session_id_gains_nothing_at_sign_in(client, db):
    victim = UserFactory()
    with client.session_transaction() as session:  # fixation: an id chosen by an attacker
        session["_user_id"] = f"{victim.id}:chosen-by-the-attacker"
        session["planted"] = "x"
    assert not signed_in(client)
    login(client, victim)
    with client.session_transaction() as session:
        assert session["_user_id"] != f"{victim.id}:chosen-by-the-attacker"
        assert "planted" not in session
    assert not any(row.token_hash == devices.hash_token("chosen-by-the-attacker")
                   for row in sessions_of(db, victim))


def test_a_cookie_for_one_account_does_not_load_another(client, db):
    owner, other = UserFactory(), UserFactory()
    login(client, owner)
    with client.session_transaction() as session:
        token = session["_user_id"].partition(":")[2]
        session["_user_id"] = f"{other.id}:{token}"
    assert not signed_in(client)


def test_an_idle_session_expires_on_the_server_too(app, client, db):
    user = UserFactory()
    login(client, user)
    idle = app.config["PERMANENT_SESSION_LIFETIME"]
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - idle
                                                  - timedelta(minutes=1)))
    assert not signed_in(client)


def test_last_seen_is_written_at_most_once_a_minute(client, db):
    user = UserFactory()
    login(client, user)
    (row,) = sessions_of(db, user)
    first_seen = row.last_seen_at
    client.get("/account")
    assert sessions_of(db, user)[0].last_seen_at == first_seen  # a fresh session: no write
    two_minutes_ago = utcnow() - timedelta(minutes=2)
    db.session.execute(update(UserSession).values(last_seen_at=two_minutes_ago))
    client.get("/account")
    assert sessions_of(db, user)[0].last_seen_at > two_minutes_ago + timedelta(minutes=1)


def test_blocking_an_account_signs_it_out_everywhere(client, other_client, db):
    from app.moderation.services import block_user

    user = UserFactory()
    login(client, user)
    login(other_client, user, PHONE)
    block_user(ModeratorFactory(), user, "Publicidad repetida")
    db.session.flush()
    assert not signed_in(client) and not signed_in(other_client)
    assert sessions_of(db, user) == []


def test_signing_in_clears_the_accounts_expired_sessions(app, client, other_client, db):
    user = UserFactory()
    login(client, user)
    db.session.execute(update(UserSession).values(
        last_seen_at=utcnow() - app.config["REMEMBER_COOKIE_DURATION"] - timedelta(days=1)))
    login(other_client, user, PHONE)
    assert db.session.scalar(select(func.count(UserSession.id))
                             .where(UserSession.user_id == user.id)) == 1
