"""Memory of the bulk exports: does streaming every proposal stay flat as the data grows?

For each bench database given, streams /api/v1/export/proposals.csv and .json through the
test client, chunk by chunk as a slow client would, and reports the Python heap's peak
above its level before the request (tracemalloc), the rows and bytes sent, and the time.

    python -m bench.export_memory sqlite:////tmp/cocrea-bench-0.01.db sqlite:////tmp/cocrea-bench-1.db
"""
from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.config import bench_config  # noqa: E402

EXPORTS = ("/api/v1/export/proposals.csv", "/api/v1/export/proposals.json")


def measure(url: str) -> list[dict]:
    app = create_app(bench_config(url))
    client = app.test_client()
    results = []
    for path in EXPORTS:
        client.get(path).close()  # warm: imports, compiled statements
        gc.collect()
        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        started = time.perf_counter()
        response = client.get(path, buffered=False)
        sent = rows = 0
        for chunk in response.response:
            sent += len(chunk)
            if path.endswith(".csv"):  # a chunk ends at a row boundary: parse it alone
                rows += sum(1 for _ in csv.reader(io.StringIO(chunk.decode("utf-8"))))
        response.close()
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results.append({
            "database": url, "export": path, "bytes": sent,
            "csv_rows": max(rows - 1, 0) if path.endswith(".csv") else None,
            "seconds": round(seconds, 2), "peak_heap_mb": round((peak - base) / 2**20, 1),
        })
    return results


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", help="bench databases, smallest first")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--database", choices=("sqlite", "postgres"),
                        help="with --out: a results file of bench/results/runs (bench.report)")
    args = parser.parse_args(argv)
    results = []
    print(f"{'export':<34}{'MB sent':>9}{'rows':>8}{'seconds':>9}{'peak heap MB':>14}  database")
    for url in args.urls:
        for result in measure(url):
            results.append(result)
            rows = result["csv_rows"] if result["csv_rows"] is not None else "-"
            print(f"{result['export']:<34}{result['bytes'] / 2**20:>9.1f}{rows:>8}"
                  f"{result['seconds']:>9}{result['peak_heap_mb']:>14}  {url}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        report = {"kind": "export-memory", "database": args.database or (
                      "postgres" if args.urls[0].startswith("postgresql") else "sqlite"),
                  "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "rows": results}
        args.out.write_text(json.dumps(report, indent=1))
    return results


if __name__ == "__main__":
    main()
