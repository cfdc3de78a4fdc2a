"""gunicorn.conf.py: workers from the CPU count, env overrides, redacted access logs."""
from __future__ import annotations

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def load(monkeypatch, tmp_path):
    def _load(**env):
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
        for name in ("PORT", "BIND", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONF))
    return _load


def test_workers_follow_the_cpu_count_with_a_cap(load):
    conf = load()
    assert conf["default_workers"](1) == 3
    assert conf["default_workers"](2) == 5
    assert conf["default_workers"](64) == 12


def test_web_concurrency_overrides_the_worker_count(load):
    assert load(WEB_CONCURRENCY="3")["workers"] == 3


def test_binds_to_loopback_on_port_8000_by_default(load):
    assert load()["bind"] == "127.0.0.1:8000"
    assert load(PORT="8123")["bind"] == "127.0.0.1:8123"
    assert load(BIND="0.0.0.0:9000")["bind"] == "0.0.0.0:9000"  # noqa: S104


def test_access_log_goes_to_stdout_and_trusts_only_configured_proxies(load):
    conf = load(FORWARDED_ALLOW_IPS="10.0.0.5")
    assert conf["accesslog"] == "-"
    assert conf["forwarded_allow_ips"] == "10.0.0.5"
    assert load()["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_access_log_paths_never_carry_tokens(load):
    redact = load()["redact_path"]
    assert redact("/auth/reset/IjQyOmFiYyI.ZxYwVg.a1b2c3d4e5f6g7h8i9j0k1l2") == \
        "/auth/reset/[redacted]"
    assert redact("/proposals/12") == "/proposals/12"
