#!/usr/bin/env bash
# Load through a real server: gunicorn (127.0.0.1 only) driven by wrk, on the S=1 database
# that `python -m bench.run` left behind; then the concurrency check (bench/concurrency.py).
# Usage: bench/load.sh [sqlite|postgres]   (env: WORKERS=3 DURATION=30 CONNECTIONS=16 PORT=5190)
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${1:-sqlite}"
WORKERS="${WORKERS:-3}"
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-5190}"
PY=.venv/bin/python
RESULTS=bench/results/latest-$DB.json
OUT=bench/results/load-$DB.json
if [ "$DB" = postgres ]; then
  URL="${BENCH_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/cocrea_bench}"
else
  URL="sqlite:///${TMPDIR:-/tmp}/cocrea-bench-1.db"
fi
[ -f "$RESULTS" ] || { echo "load: run 'python -m bench.run --db $DB' first"; exit 1; }
command -v wrk >/dev/null || { echo "load: wrk is not installed (apt-get install wrk); skipped"; exit 0; }

read -r SLUG PROPOSAL < <($PY -c "import json,sys; t=json.load(open(sys.argv[1]))['runs'][-1]['targets']; print(t['slug'], t['proposal_50'])" "$RESULTS")
BASE="http://127.0.0.1:$PORT"

BENCH_DATABASE_URL="$URL" .venv/bin/gunicorn --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
  --log-level warning "bench.config:create_bench_app()" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

peak_rss() {  # highest VmHWM (peak resident memory) among the workers, in MB
  local max=0
  for pid in $(pgrep -P "$SERVER"); do
    kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$max" ] && max=$kb
  done
  echo $((max / 1024))
}

echo "load: $DB, gunicorn $WORKERS workers, wrk $CONNECTIONS connections, ${DURATION}s each"
printf '%-12s %10s %10s %10s %8s\n' endpoint "req/s" "p50 ms" "p99 ms" "non-2xx"
JSON="{"
for pair in "healthz:/healthz" "theme:/themes/$SLUG" "proposal:/proposals/$PROPOSAL"; do
  name=${pair%%:*}; path=${pair#*:}
  report=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$BASE$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$report")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$report")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$report")
  errors=$(awk '/Non-2xx/ {print $NF}' <<<"$report"); errors=${errors:-0}
  to_ms() { $PY -c "import sys; v=sys.argv[1]; print(round(float(v[:-2]) if v.endswith('ms') else float(v[:-2])/1000 if v.endswith('us') else float(v[:-1])*1000, 1))" "$1"; }
  p50=$(to_ms "$p50"); p99=$(to_ms "$p99")
  printf '%-12s %10s %10s %10s %8s\n' "$name" "$rps" "$p50" "$p99" "$errors"
  JSON+="\"$name\": {\"path\": \"$path\", \"requests_per_s\": $rps, \"p50_ms\": $p50, \"p99_ms\": $p99, \"non_2xx\": $errors},"
done
RSS=$(peak_rss)
echo "worker peak RSS: ${RSS} MB"
JSON+="\"worker_peak_rss_mb\": $RSS, \"workers\": $WORKERS, \"connections\": $CONNECTIONS, \"duration_s\": $DURATION, \"database\": \"$DB\"}"
echo "$JSON" | $PY -m json.tool > "$OUT"
$PY -m bench.concurrency --url "$BASE" --database-url "$URL" --out "$OUT"
echo "load: wrote $OUT"
