"""/metrics: Prometheus exposition, only for allowed networks or the bearer token."""
from __future__ import annotations

import pytest

from tests.factories import ProposalFactory

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def test_metrics_refuses_a_client_outside_the_allowed_networks(client):
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 403


def test_metrics_refuses_a_wrong_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "the-right-token")
    response = client.get("/metrics", environ_base=OUTSIDE,
                          headers={"Authorization": "Bearer not-the-token"})
    assert response.status_code == 403


def test_metrics_accepts_the_token_from_anywhere(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "the-right-token")
    response = client.get("/metrics", environ_base=OUTSIDE,
                          headers={"Authorization": "Bearer the-right-token"})
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")


def test_metrics_without_a_configured_token_ignores_bearer_headers(client):
    response = client.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": "Bearer "})
    assert response.status_code == 403


@pytest.mark.parametrize("networks, allowed", [
    ("203.0.113.0/24", True), ("10.0.0.0/8, 203.0.113.7/32", True), ("198.51.100.0/24", False),
])
def test_metrics_follows_the_configured_networks(app, client, monkeypatch, networks, allowed):
    monkeypatch.setitem(app.config, "METRICS_ALLOWED_NETWORKS", networks)
    response = client.get("/metrics", environ_base=OUTSIDE)
    assert response.status_code == (200 if allowed else 403)


def test_metrics_count_requests_by_route_not_by_path(client):
    client.get("/healthz")
    client.get("/no/such/page/12345")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'cocrea_http_requests_total{method="GET",route="main.healthz",status="200"}' in body
    assert 'route="unmatched",status="404"' in body
    assert "/no/such/page" not in body
    assert 'cocrea_http_request_duration_seconds_bucket{le="0.005",method="GET",' \
           'route="main.healthz"}' in body


def test_metrics_report_proposals_and_supports_from_the_database(client, db):
    ProposalFactory(vote_count=3, comment_count=2)
    ProposalFactory(vote_count=4)
    body = client.get("/metrics").get_data(as_text=True)
    assert "cocrea_proposals 2.0" in body
    assert "cocrea_supports 7.0" in body
    assert "cocrea_comments 2.0" in body


# --- production: the token, whatever sits in front -------------------------------------------

@pytest.fixture
def production_client(monkeypatch, db):
    from app import create_app
    from tests.conftest import SuiteConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", SuiteConfig.SQLALCHEMY_DATABASE_URI)
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    config = type("Production", (SuiteConfig,), {"ENV_NAME": "production",
                                                  "METRICS_TOKEN": "the-right-token"})
    return create_app(config).test_client()


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_production_metrics_refuse_loopback_visitors_without_the_token(production_client,
                                                                       address):
    """Behind nginx on the same host every visitor's request comes from 127.0.0.1."""
    response = production_client.get("/metrics", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 403


def test_production_metrics_ignore_the_network_allow_list(production_client):
    production_client.application.config["METRICS_ALLOWED_NETWORKS"] = "203.0.113.0/24"
    assert production_client.get("/metrics", environ_base=OUTSIDE).status_code == 403


def test_production_metrics_answer_the_bearer_token(production_client):
    response = production_client.get("/metrics",
                                     headers={"Authorization": "Bearer the-right-token"})
    assert response.status_code == 200
