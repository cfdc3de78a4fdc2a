"""The benchmark script at N=0.001 (`make bench-smoke`), so it cannot rot; no timings asserted."""
from __future__ import annotations

import sqlite3

import pytest

from app.models import User
from bench.run import main
from tests.factories import UserFactory

pytestmark = pytest.mark.slow


def test_bench_smoke_run_writes_the_results_shape(tmp_path):
    out = tmp_path / "latest.json"
    report = main(["--scales", "0.001", "--requests", "2", "--warmup", "1",
                   "--slow-requests", "1", "--out", str(out), "--workdir", str(tmp_path)])

    assert out.exists()
    assert report["database"] == "sqlite"
    assert report["scale"] == 0.001
    assert report["dataset"]["proposals"] == 20
    assert report["dataset"]["users"] == 50
    assert report["dataset_seconds"] > 0
    healthz = report["endpoints"]["healthz"]
    assert set(healthz) >= {"median_ms", "p95_ms", "queries", "ratio_to_healthz"}
    assert healthz["queries"] == 1
    for name, result in report["endpoints"].items():
        assert result["status"] in {"ok", "missing"}, (name, result)
        if result["status"] == "ok":
            assert result["median_ms"] > 0 and result["queries"] >= 0, name
    assert len(report["runs"]) == 1
    assert report["machine"]["cpus"] and report["machine"]["database_server"].startswith("SQLite")
    assert "outside" in report["goals"]
    assert healthz["cpu_ratio_to_healthz"] == 1.0


def test_bench_dataset_counters_match_the_rows(tmp_path):
    main(["--scales", "0.001", "--requests", "1", "--warmup", "0", "--slow-requests", "1",
          "--out", str(tmp_path / "r.json"), "--workdir", str(tmp_path), "--only", "healthz"])
    connection = sqlite3.connect(tmp_path / "cocrea-bench-0.001.db")
    wrong_votes = connection.execute(
        "SELECT count(*) FROM proposals p WHERE vote_count != "
        "(SELECT count(*) FROM votes v WHERE v.proposal_id = p.id)").fetchone()[0]
    wrong_comments = connection.execute(
        "SELECT count(*) FROM proposals p WHERE comment_count != "
        "(SELECT count(*) FROM comments c WHERE c.proposal_id = p.id AND c.deleted_at IS NULL)"
    ).fetchone()[0]
    duplicates = connection.execute(
        "SELECT count(*) FROM (SELECT 1 FROM votes GROUP BY user_id, proposal_id "
        "HAVING count(*) > 1)").fetchone()[0]
    connection.close()
    assert (wrong_votes, wrong_comments, duplicates) == (0, 0, 0)


def test_bench_data_refuses_a_database_with_accounts(runner):
    UserFactory()

    result = runner.invoke(args=["bench-data", "--scale", "0.001"])

    assert result.exit_code != 0
    assert "empty database" in result.output
    assert User.query.count() == 1
