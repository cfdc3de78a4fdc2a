#!/usr/bin/env bash
# Load through a real server, on the PostgreSQL bench database that `python -m bench.run`
# (or `make bench-10`) left behind:
# 1. the mesa room through the production server (bench/load.py: gunicorn.conf.py,
#    COCREA_ENV=production, PostgreSQL, Redis; locust headless, bounded, 127.0.0.1 only);
# 2. the concurrency check (bench/concurrency.py): 200 accounts support one proposal, and
#    register for a mesa of 50 seats, at the same moment, through gunicorn with the bench
#    settings; counts exact, zero errors.
# Both land in one results file, bench/results/runs/<UTC time>-load-postgres.json.
# Usage: bench/load.sh   (env: BENCH_PG_URL, PORT=5291, LOAD_ARGS="--participants 300 ...")
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
URL="${BENCH_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/cocrea_bench}"
PORT="${PORT:-5291}"
OUT="bench/results/runs/$(date -u +%Y%m%dT%H%M%SZ)-load-postgres.json"

status=0
# shellcheck disable=SC2086 - LOAD_ARGS is a list of options
$PY -m bench.load --database-url "$URL" --port "$PORT" --out "$OUT" ${LOAD_ARGS:-} || status=$?

CONCURRENCY_PORT=$((PORT + 1))
BENCH_DATABASE_URL="$URL" .venv/bin/gunicorn --workers 3 --bind "127.0.0.1:$CONCURRENCY_PORT" \
  --log-level warning "bench.config:create_bench_app()" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$CONCURRENCY_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
$PY -m bench.concurrency --url "http://127.0.0.1:$CONCURRENCY_PORT" --database-url "$URL" --out "$OUT" \
  || status=$?
echo "load: wrote $OUT"
exit $status
