"""Markdown tables of the latest results (for the README): `python -m bench.report`."""
from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _load(name: str) -> dict | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def endpoint_table(report: dict) -> str:
    runs = report["runs"]
    scales = " | ".join(f"S={run['scale']:g}" for run in runs)
    lines = [
        f"| endpoint | {scales} | p95 | CPU | queries | × healthz |",
        "| --- |" + " ---: |" * (len(runs) + 4),
    ]
    for name in runs[-1]["endpoints"]:
        cells = []
        for run in runs:
            result = run["endpoints"].get(name, {})
            cells.append(f"{result['median_ms']:.1f}" if "median_ms" in result
                         else result.get("status", "-"))
        last = runs[-1]["endpoints"][name]
        tail = (f"{last['p95_ms']:.1f} | {last['cpu_median_ms']:.1f} | {last['queries']} | "
                f"{last['ratio_to_healthz']}" if "median_ms" in last else "| | |")
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {tail} |")
    datasets = "; ".join(f"S={run['scale']:g}: {run['dataset_seconds']} s"
                         for run in runs)
    lines.append("")
    lines.append(f"Dataset generation (wall clock): {datasets}.")
    return "\n".join(lines)


def load_table(load: dict) -> str:
    lines = ["| endpoint | requests/s | p50 ms | p99 ms | non-2xx |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name in ("healthz", "theme", "proposal"):
        row = load.get(name)
        if row:
            lines.append(f"| `{row['path']}` | {row['requests_per_s']} | {row['p50_ms']} | "
                         f"{row['p99_ms']} | {row['non_2xx']} |")
    lines.append("")
    lines.append(f"Worker peak RSS: {load.get('worker_peak_rss_mb')} MB "
                 f"({load.get('workers')} gunicorn workers, {load.get('connections')} wrk "
                 f"connections, {load.get('duration_s')} s per endpoint).")
    concurrency = load.get("concurrency", {})
    for key in ("supports", "mesas"):
        value = concurrency.get(key)
        if isinstance(value, dict):
            lines.append(f"Concurrency, {key}: exact={value['exact']}, errors={value['errors']} "
                         f"({concurrency.get('accounts')} accounts at once).")
    return "\n".join(lines)


def export_memory_table(rows: list[dict]) -> str:
    lines = ["| export | database | MB sent | CSV rows | seconds | peak heap MB |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(f"| `{row['export']}` | `{row['database'].rsplit('/', 1)[-1]}` | "
                     f"{row['bytes'] / 2**20:.1f} | {row['csv_rows'] or '-'} | "
                     f"{row['seconds']} | {row['peak_heap_mb']} |")
    return "\n".join(lines)


def main() -> None:
    for database in ("sqlite", "postgres"):
        report = _load(f"latest-{database}.json")
        if report:
            print(f"\n### {database} (measured {report['measured_at']})\n")
            print(endpoint_table(report))
        load = _load(f"load-{database}.json")
        if load:
            print(f"\nLoad through gunicorn + wrk, {database}:\n")
            print(load_table(load))
        exports = _load(f"export-memory-{database}.json")
        if exports:
            print(f"\nStreamed bulk exports, {database} (Python heap peak, tracemalloc):\n")
            print(export_memory_table(exports))


if __name__ == "__main__":
    main()
