"""SQL injection strings in every query parameter and search box return normal pages."""
from __future__ import annotations

import pytest

from tests.security.test_route_audit import GET_ROUTES

INJECTIONS = [
    "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "1; DROP TABLE users; --",
    "'; DROP TABLE proposals; --", "1' UNION SELECT email, password_hash FROM users --",
    "1 AND SLEEP(5)", "'; SELECT pg_sleep(5); --", "%' AND 1=0 UNION SELECT NULL --",
    "\\'; --", "admin'--", "1)) OR ((1=1", "' || (SELECT sqlite_version()) || '",
    "%", "_", "\\", "%%%%", "[a-z]*", "\") OR MATCH(\"*", "title:* OR *", "NEAR(a b)",
    "' AND extractvalue(1,concat(0x7e,version())) --", "1e309", "-9223372036854775809",
]
PARAMS = ["q", "sort", "status", "theme", "page", "per_page"]
LISTINGS = [r for r in GET_ROUTES if r.rule.rule in ("/proposals", "/themes/<slug>")
            or r.rule.rule.startswith("/api/")]


@pytest.mark.parametrize("route", LISTINGS, ids=str)
def test_injection_strings_in_query_parameters_are_harmless(client, world, route):
    url = route.url(slug=world.theme.slug)
    for param in PARAMS:
        for attack in INJECTIONS:
            response = client.get(url, query_string={param: attack})
            assert response.status_code in (200, 400, 404), (param, attack)
    assert client.get(f"/proposals/{world.proposal.id}").status_code == 200  # tables intact


@pytest.mark.parametrize("attack", INJECTIONS)
def test_the_search_box_treats_injections_as_text(client, world, attack):
    response = client.get("/proposals", query_string={"q": attack})
    assert response.status_code == 200
    assert world.proposal.title.encode() not in response.data  # nothing matched everything


def test_a_matching_search_still_finds_the_proposal(client, world):
    response = client.get("/proposals", query_string={"q": world.proposal.title})
    assert world.proposal.title.encode() in response.data


@pytest.mark.parametrize("attack", INJECTIONS[:8])
def test_injection_strings_in_sign_in_are_just_wrong_credentials(client, world, attack):
    response = client.post("/auth/login", data={"email": attack, "password": attack})
    assert response.status_code == 400
    response = client.post("/auth/login", data={"email": world.author.email, "password": attack})
    assert response.status_code == 400
