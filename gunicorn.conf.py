"""Gunicorn settings for `make serve` (production). Every value can be overridden by env.

| variable | default | meaning |
| --- | --- | --- |
| `PORT` | 8000 | port to listen on |
| `BIND` | `127.0.0.1:$PORT` | full bind address (e.g. `0.0.0.0:8000` behind a load balancer) |
| `WEB_CONCURRENCY` | 2 * cores + 1, at most 12 | worker processes |
| `GUNICORN_THREADS` | 1 | threads per worker (more than 1 uses the gthread worker) |
| `GUNICORN_TIMEOUT` | 30 | seconds before a silent worker is killed and replaced |
| `FORWARDED_ALLOW_IPS` | `127.0.0.1,::1` | proxies whose X-Forwarded-Proto gunicorn trusts |
| `PROXY_FIX_HOPS` | 0 | read by the app (app/security.py): trusted proxies in front of it; |
| | | their X-Forwarded-For gives the client IP that rate limits and /metrics see |
| `PROMETHEUS_MULTIPROC_DIR` | a fresh temporary folder | where workers share their metrics |
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import tempfile
import time

from gunicorn import glogging

MAX_DEFAULT_WORKERS = 12


def default_workers(cores: int | None = None) -> int:
    """2 * cores + 1 (gunicorn's advice), capped so a big machine does not exhaust PostgreSQL."""
    cores = cores or multiprocessing.cpu_count()
    return max(2, min(2 * cores + 1, MAX_DEFAULT_WORKERS))


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


port = _int_env("PORT", 8000)
bind = os.environ.get("BIND") or f"127.0.0.1:{port}"
workers = _int_env("WEB_CONCURRENCY", default_workers())
threads = _int_env("GUNICORN_THREADS", 1)
timeout = _int_env("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = _int_env("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Heartbeat files on tmpfs: a worker blocked on disk I/O is not mistaken for a dead one.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

def check_rate_limit_storage(worker_count: int, environ=os.environ) -> None:
    """Production with several workers needs shared rate-limit counters (Redis): refuse to
    start otherwise (config.check_shared_rate_limits says why)."""
    if environ.get("COCREA_ENV", "").strip().lower() != "production":
        return
    from config import check_shared_rate_limits

    check_shared_rate_limits(environ.get("RATELIMIT_STORAGE_URI") or "memory://", worker_count)


check_rate_limit_storage(workers)

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

accesslog = "-"  # stdout: the service manager (systemd/journald) collects it
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = False

# Prometheus: every worker writes its samples to files in one folder; /metrics adds them up.
# It must be set before the app (and prometheus_client) is imported by the workers.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="cocrea-metrics-")
raw_env = [f"PROMETHEUS_MULTIPROC_DIR={os.environ['PROMETHEUS_MULTIPROC_DIR']}"]


def on_starting(server):
    """Samples from a previous run would be added to this one's: start from an empty folder."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.endswith(".db") and os.path.isfile(path):
            os.remove(path)


def post_worker_init(worker):
    """The plan's PDF is rendered ahead once per deploy, in the background of one worker
    (app/plan/pdf.py, render_ahead_on_start): no download waits for the first render."""
    app = worker.wsgi
    if not hasattr(app, "config"):
        return
    try:
        from app.plan.pdf import render_ahead_on_start

        render_ahead_on_start(app)
    except Exception:  # noqa: BLE001 - a PDF rendered later must never stop a worker
        worker.log.exception("pdf: could not start rendering the plan ahead")


def child_exit(server, worker):
    """A dead worker's live gauges must not be reported any more."""
    try:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
    except Exception:  # noqa: BLE001, S110 - metrics housekeeping must never stop the server
        pass


def on_exit(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if os.path.basename(folder).startswith("cocrea-metrics-"):
        shutil.rmtree(folder, ignore_errors=True)


# Path segments that look like tokens (password reset and confirmation links) are never
# written to the log; slugs (lowercase words and hyphens) are kept.
_SLUG = re.compile(r"^[a-z0-9\-]+$")


def redact_path(path: str) -> str:
    segments = (path or "").split("/")
    return "/".join(
        "[redacted]" if len(part) >= 16 and (not _SLUG.match(part) or len(part) >= 48) else part
        for part in segments
    )


class JsonAccessLogger(glogging.Logger):
    """One JSON object per request on stdout, without query strings or tokens."""

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog:
            return
        headers = {str(k).lower(): v for k, v in (resp.headers or [])}
        line = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "type": "access",
            "request_id": headers.get("x-request-id", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": redact_path(environ.get("PATH_INFO", "")),
            "status": int(str(resp.status).split(" ", 1)[0] or 0),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote_addr": environ.get("REMOTE_ADDR", ""),
        }
        try:
            self.access_log.info(json.dumps(line))
        except Exception:  # noqa: BLE001 - a log line must never break a response
            self.exception("access log failed")


logger_class = JsonAccessLogger
