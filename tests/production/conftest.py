"""Helpers for the production tests: extra app instances, reachability of PostgreSQL and Redis."""
from __future__ import annotations

import os
import socket

import pytest

from app import create_app
from tests.conftest import FreshContextClient, SuiteConfig

PG_ADMIN_URL = os.environ.get(
    "PRODUCTION_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_available() -> bool:
    if not port_open(REDIS_HOST, REDIS_PORT):
        return False
    import redis

    try:
        return bool(redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def postgres_available() -> bool:
    return port_open("127.0.0.1", 5432)


needs_redis = pytest.mark.skipif(
    not redis_available(), reason="Redis is not reachable at 127.0.0.1:6379")
needs_postgres = pytest.mark.skipif(
    not postgres_available(), reason="PostgreSQL is not reachable at 127.0.0.1:5432")


def make_app(**settings):
    """Another app instance on the suite's database, with `settings` on top of the suite's.

    The rate limiter is one object shared by every app in this process, so its settings are
    never changed here (they stay the test settings: disabled, in memory).
    """
    config = type("ProductionTestConfig", (SuiteConfig,), settings)
    app = create_app(config)
    app.test_client_class = FreshContextClient
    return app


@pytest.fixture
def make_test_app():
    return make_app
