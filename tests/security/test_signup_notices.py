"""Signing up with a registered address cannot be used to flood its owner with email:
each form stamp is good for one attempt, and notices are limited per recipient."""
from __future__ import annotations

import re

import pytest

from app.auth import services
from tests.factories import UserFactory

SIGNUP = {"display_name": "Ana", "password": "una-clave-bien-larga",
          "password_confirm": "una-clave-bien-larga", "sector": "academia", "accept_terms": "y"}


@pytest.fixture
def confirming(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_EMAIL_CONFIRMATION", True)
    monkeypatch.setitem(app.config, "SIGNUP_STAMP_REQUIRED", True)


@pytest.fixture
def sent(monkeypatch):
    messages = []
    monkeypatch.setattr("app.mail.send", lambda message: messages.append(message) or True)
    return messages


def _stamp(client) -> str:
    html = client.get("/auth/register").get_data(as_text=True)
    return re.search(r'name="form_started" type="hidden" value="([^"]+)"', html).group(1)


def test_one_form_stamp_sends_at_most_one_notice(client, db, confirming, sent):
    owner = UserFactory()
    stamp = _stamp(client)
    statuses = [client.post("/auth/register", data={**SIGNUP, "email": owner.email,
                                                    "form_started": stamp}).status_code
                for _ in range(20)]
    assert statuses[0] == 303 and set(statuses[1:]) == {400}
    assert len([m for m in sent if m.to == owner.email]) == 1


def test_notices_to_one_recipient_are_limited_even_with_fresh_stamps(client, db, confirming,
                                                                     sent):
    owner = UserFactory()
    for _ in range(10):
        response = client.post("/auth/register", data={**SIGNUP, "email": owner.email,
                                                       "form_started": _stamp(client)})
        assert response.status_code == 303  # the same answer as for a new address
    assert len([m for m in sent if m.to == owner.email]) == services.EXISTING_ACCOUNT_NOTICES
    other = UserFactory()
    client.post("/auth/register", data={**SIGNUP, "email": other.email,
                                        "form_started": _stamp(client)})
    assert [m.to for m in sent].count(other.email) == 1  # the limit is per recipient


def test_a_form_without_its_stamp_is_refused(client, db, confirming, sent):
    owner = UserFactory()
    response = client.post("/auth/register", data={**SIGNUP, "email": owner.email})
    assert response.status_code == 400
    assert "Revise sus datos" in response.get_data(as_text=True)
    assert sent == []


def test_a_refused_form_comes_back_with_a_fresh_stamp_that_works(client, db, confirming, sent):
    stamp = _stamp(client)
    client.post("/auth/register", data={**SIGNUP, "email": "a@ejemplo.org",
                                        "form_started": stamp})
    again = client.post("/auth/register", data={**SIGNUP, "email": "b@ejemplo.org",
                                                "form_started": stamp})
    assert again.status_code == 400
    fresh = re.search(r'name="form_started" type="hidden" value="([^"]+)"',
                      again.get_data(as_text=True)).group(1)
    assert fresh != stamp
    response = client.post("/auth/register", data={**SIGNUP, "email": "b@ejemplo.org",
                                                   "form_started": fresh})
    assert response.status_code == 303
    assert {m.to for m in sent} == {"a@ejemplo.org", "b@ejemplo.org"}


def test_a_stamp_is_spent_once_even_when_sent_twice_at_once(app, db):
    with app.test_request_context():
        stamp = services.signup_form_stamp()
        assert services.spend_signup_stamp(stamp) is True
        assert services.spend_signup_stamp(stamp) is False
        assert services.spend_signup_stamp("forjado.123.abc") is False
