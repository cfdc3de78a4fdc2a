"""Accounts acting at the same moment through gunicorn get exact counts and no errors.

A small run of bench/concurrency.py (the benchmark runs it with 200 accounts): its own
database file and server process, removed afterwards; never the suite's savepoint.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from bench.concurrency import run
from bench.config import bench_config
from bench.run import create_schema

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    from app.datasets.bench import generate

    url = f"sqlite:///{tmp_path / 'concurrency.db'}"
    app = create_app(bench_config(url))
    with app.app_context():
        create_schema()
        generate(0.001, echo=lambda _line: None)
        db.engine.dispose()
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "bench.config:create_bench_app()"],
        cwd=ROOT, env={**os.environ, "BENCH_DATABASE_URL": url},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - local
                break
            except OSError:
                time.sleep(0.1)
        yield base, url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_simultaneous_supports_and_registrations_are_exact(server):
    base, url = server

    report = run(base, url, accounts=20)

    if isinstance(report["supports"], dict):
        assert report["supports"]["errors"] == 0, report["supports"]
        assert report["supports"]["exact"], report["supports"]
    if isinstance(report["mesas"], dict):
        assert report["mesas"]["errors"] == 0, report["mesas"]
        assert report["mesas"]["exact"], str(report)
