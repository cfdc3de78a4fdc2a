"""Schemathesis, a client that knows only /api/v1/openapi.json, against a live server: every
check (status codes, content types, headers, schemas, positive and negative data, undeclared
methods answered 405 with Allow, ...) in every phase (coverage, fuzzing, stateful).

The server is the real app on a werkzeug thread with its own SQLite file holding the reference
data and the demo content; Schemathesis runs as its command-line tool, with a fixed seed so a
failure replays. Its configuration is tests/api/schemathesis.toml.
"""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from config import TestConfig

HERE = Path(__file__).parent
SEED = "20181001"


@pytest.fixture(scope="module")
def live_api(tmp_path_factory):
    from werkzeug.serving import make_server

    from app import create_app
    from app.cli.demo import add_demo_content
    from app.extensions import db

    class LiveConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('st') / 'api.db'}"

    app = create_app(LiveConfig)
    with app.app_context():
        db.create_all()
        add_demo_content()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="cocrea-st", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.mark.slow
def test_schemathesis_finds_no_failure_with_every_check(live_api, tmp_path):
    st = Path(sys.executable).with_name("st")
    result = subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [str(st), "--config-file", str(HERE / "schemathesis.toml"), "run",
         f"{live_api}/api/v1/openapi.json", "--checks", "all", "--max-examples", "25",
         "--seed", SEED, "--workers", "1", "--generation-database", "none",
         "--report-dir", str(tmp_path), "--no-color"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout
