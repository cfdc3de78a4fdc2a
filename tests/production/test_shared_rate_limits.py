"""Production keeps rate-limit counters where every worker sees them, or runs one worker."""
from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from app import create_app
from tests.conftest import SuiteConfig

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def _production(monkeypatch, workers: str | None, storage: str | None):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", SuiteConfig.SQLALCHEMY_DATABASE_URI)
    monkeypatch.setenv("BASE_URL", "https://cocrea.example.gt")
    for name, value in (("WEB_CONCURRENCY", workers), ("RATELIMIT_STORAGE_URI", storage)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    config = type("Production", (SuiteConfig,), {"ENV_NAME": "production",
                                                  "RATELIMIT_STORAGE_URI": storage or "memory://"})
    return create_app(config)


@pytest.mark.parametrize("workers", [None, "2", "5"])
def test_production_refuses_memory_rate_limits_with_several_workers(monkeypatch, workers):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        _production(monkeypatch, workers, None)


def test_production_with_one_worker_may_count_in_memory(monkeypatch, db):
    app = _production(monkeypatch, "1", None)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_production_with_redis_may_run_many_workers(monkeypatch, db):
    app = _production(monkeypatch, "5", "redis://127.0.0.1:6379/14")
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")


def test_gunicorn_refuses_to_start_production_workers_without_shared_limits(monkeypatch,
                                                                            tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setenv("COCREA_ENV", "production")
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        runpy.run_path(str(CONF))
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/14")
    assert runpy.run_path(str(CONF))["workers"] == 5


def test_readyz_in_production_checks_the_rate_limit_storage(monkeypatch, db):
    from app.ops import views

    app = _production(monkeypatch, "1", None)
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json["checks"]["rate_limits"] == "ok"
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setattr(views, "limiter_storage_answers", lambda: False)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["failed"] == ["rate_limits"]
