"""The README's performance tables come from the results files, never from hand-typed
numbers: bench.report builds them from bench/results/runs/*.json, and the README holds
exactly what it builds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import report

ROOT = Path(__file__).resolve().parents[2]


def _run(database: str, scale: float, at: str, plan_ms: float, healthz_ms: float = 1.0,
         **extra) -> dict:
    endpoints = {
        "healthz": {"method": "GET", "median_ms": healthz_ms, "ratio_to_healthz": 1.0,
                    "cpu_ratio_to_healthz": 1.0, "queries": 1},
        "plan": {"method": "GET", "median_ms": plan_ms,
                 "ratio_to_healthz": round(plan_ms / healthz_ms, 1),
                 "cpu_ratio_to_healthz": 2.0, "queries": 5},
        "support_toggle": {"method": "POST", "median_ms": 40.0, "ratio_to_healthz": 40.0,
                           "queries": 4},
    }
    return {"kind": "pages", "database": database, "measured_at": at, "scales": [scale],
            "machine": {"cpus": 2, "memory_gb": 23.4, "python": "3.11.7",
                        "database_server": "SQLite 3.40.1", "load_average": [0.5, 0.4, 0.3]},
            "runs": [{"scale": scale, "dataset": {"proposals": int(20000 * scale),
                                                  "votes": int(10 ** 6 * scale)},
                      "dataset_seconds": 12.5, "endpoints": endpoints}], **extra}


@pytest.fixture
def runs_folder(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    for name, data in {
        "a-sqlite.json": _run("sqlite", 0.01, "2026-11-30T10:00:00Z", plan_ms=8.0),
        "b-sqlite.json": _run("sqlite", 1, "2026-11-30T10:10:00Z", plan_ms=9.0),
        "c-sqlite.json": _run("sqlite", 10, "2026-11-30T10:20:00Z", plan_ms=20.0),
        # A newer run of S=1 replaces the older one; a partial run never counts.
        "d-sqlite.json": _run("sqlite", 1, "2026-11-30T10:30:00Z", plan_ms=10.0),
        "e-sqlite.json": _run("sqlite", 1, "2026-11-30T10:40:00Z", plan_ms=99.0,
                              only=["plan"]),
    }.items():
        (folder / name).write_text(json.dumps(data))
    return folder


def test_each_scale_shows_its_newest_complete_run(runs_folder):
    block = report.build(report.load_runs(runs_folder))

    assert ("| `plan` | 8.0 | 10.0 | 20.0 | 10.0 | **20.0** | 2.0 | 2.0 | 1.25 | **2.5** | 5 |"
            in block)
    assert "99.0" not in block
    assert "`d-sqlite.json`" in block and "`b-sqlite.json`" not in block


def test_what_misses_the_bar_is_listed_and_posts_are_not_held_to_it(runs_folder):
    block = report.build(report.load_runs(runs_folder))
    outside = block.split("#### Outside the bar in these runs")[1]

    assert "`plan` at S=10: 20.0× /healthz" in outside
    assert "`plan` at S=10: 2.5× its median at S=0.01" in outside
    assert "support_toggle" not in outside


def test_write_replaces_only_the_generated_block_and_check_sees_drift(runs_folder, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nProse.\n\n{report.BEGIN}\nold figures\n{report.END}\n\nMore.\n")

    assert report.main(["--check", str(readme), "--runs", str(runs_folder)]) == 1
    assert report.main(["--write", str(readme), "--runs", str(runs_folder)]) == 0

    text = readme.read_text()
    assert text.startswith("# Title\n\nProse.\n\n") and text.endswith("\n\nMore.\n")
    assert "old figures" not in text and "| `plan` |" in text
    assert report.main(["--check", str(readme), "--runs", str(runs_folder)]) == 0


def test_the_readme_holds_exactly_the_tables_built_from_the_committed_runs():
    assert report.main(["--check", str(ROOT / "README.md")]) == 0


def test_a_measurement_of_a_reused_dataset_names_the_run_that_built_it(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    built = _run("postgres", 10, "2026-11-30T11:00:00Z", plan_ms=30.0, only=["healthz"])
    built["runs"][0]["dataset_seconds"] = 512.5
    reused = _run("postgres", 10, "2026-11-30T12:00:00Z", plan_ms=11.0, reused=True)
    reused["runs"][0]["dataset_seconds"] = None
    (folder / "f-postgres.json").write_text(json.dumps(built))
    (folder / "g-postgres.json").write_text(json.dumps(reused))

    block = report.build(report.load_runs(folder))

    assert "`g-postgres.json`" in block  # the measurement
    assert "dataset built by `f-postgres.json` in 512.5 s" in block
    assert "30.0" not in block  # the partial run's figures are not in the tables
