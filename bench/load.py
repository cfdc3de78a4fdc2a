"""The mesa room through the production server: gunicorn with `make serve`'s settings
(gunicorn.conf.py, COCREA_ENV=production, PostgreSQL, Redis), driven by locust.

    python -m bench.load [--database-url URL] [--participants 300] [--supports 10]
                         [--readers 50] [--seconds 75] [--port 5291]

1. Chooses, from the bench database, 300 participants and for each 10 open proposals it
   does not support yet (so exactly 3,000 new supports are expected), and the themes and
   proposals readers browse.
2. Serves the database with gunicorn on 127.0.0.1 only, production settings, rate limits
   in Redis, and a room-sized per-IP limit (the room shares one address).
3. Runs locust headless for a bounded time (bench/locustfile.py): participants sign in and
   support, 50 readers browse, a probe asks /healthz; samples every worker's resident memory.
4. Checks afterwards: supports written exactly once each (rows and stored counters), `flask
   counts check`, 5xx in the server's log, and how long plan PDF downloads took.

Writes bench/results/runs/<UTC time>-load-<database>.json (bench.report puts it in the
README). Exits non-zero when a check fails.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RUNS = ROOT / "bench" / "results" / "runs"
PG_URL = os.environ.get("BENCH_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/cocrea_bench")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "bench-cocrea-2018"  # noqa: S105 - app/datasets/bench.py's published accounts
ROOM_SECONDS = 60  # the room: every participant signed in and done within this
WORKER_MB = 150  # the most resident memory a worker may reach


def choose(url: str, participants: int, supports: int, readers: int) -> dict:
    """Participants, the proposals each will support (none supported yet, none their own),
    the pages readers browse, and the counts before the run."""
    engine = sa.create_engine(url)
    with engine.connect() as db:
        themes = db.execute(sa.text(
            "SELECT t.id, t.slug FROM themes t JOIN action_plans p ON p.id = t.plan_id "
            "WHERE p.is_current AND (t.voting_open_at IS NULL OR t.voting_open_at <= now()) "
            "AND (t.voting_close_at IS NULL OR t.voting_close_at > now()) ORDER BY t.position"
        )).all()
        theme_ids = [row.id for row in themes]
        pool = db.execute(sa.text(
            "SELECT id, author_id FROM proposals WHERE status = 'open' AND NOT hidden "
            "AND theme_id = ANY(:themes) ORDER BY (id * 7919) % 10007 LIMIT 400"),
            {"themes": theme_ids}).all()
        people = db.execute(sa.text(
            "SELECT id, email FROM users WHERE role = 'participant' AND active "
            "AND email_confirmed_at IS NOT NULL ORDER BY id DESC LIMIT :n"),
            {"n": participants}).all()
        pool_ids = [row.id for row in pool]
        already = {(row.user_id, row.proposal_id) for row in db.execute(sa.text(
            "SELECT user_id, proposal_id FROM votes WHERE user_id = ANY(:users) "
            "AND proposal_id = ANY(:pool)"),
            {"users": [p.id for p in people], "pool": pool_ids})}
        authors = {row.id: row.author_id for row in pool}
        plan = []
        for index, person in enumerate(people):
            start = (index * 13) % len(pool_ids)
            ring = pool_ids[start:] + pool_ids[:start]
            chosen = [pid for pid in ring
                      if authors[pid] != person.id and (person.id, pid) not in already][:supports]
            plan.append({"id": person.id, "email": person.email, "supports": chosen})
        busy_ids = [row.id for row in db.execute(sa.text(
            "SELECT id FROM proposals WHERE NOT hidden ORDER BY comment_count DESC LIMIT 20"))]
        before = counts(db, [p["id"] for p in plan], pool_ids)
    with engine.begin() as db:
        # Real accounts hold production-cost hashes (the dataset shares a cheap one): each
        # sign-in of the room verifies one, as it would at a mesa.
        db.execute(sa.text("UPDATE users SET password_hash = :hash WHERE id = ANY(:ids)"),
                   {"hash": production_hash(), "ids": [p["id"] for p in plan]})
    engine.dispose()
    return {"password": PASSWORD, "themes": [row.slug for row in themes],
            "proposals": busy_ids + pool_ids[:80], "participants": plan, "readers": readers,
            "think_seconds": [1.0, 3.0], "pool": pool_ids, "before": before}


def production_hash() -> str:
    """The bench password hashed with production's method (config.Config)."""
    from werkzeug.security import generate_password_hash

    sys.path.insert(0, str(ROOT))
    from config import Config

    return generate_password_hash(PASSWORD, method=Config.PASSWORD_HASH_METHOD)


def counts(db, users: list[int], pool: list[int]) -> dict:
    return {
        "votes": db.execute(sa.text("SELECT count(*) FROM votes")).scalar(),
        "room_votes": db.execute(sa.text(
            "SELECT count(*) FROM votes WHERE user_id = ANY(:u) AND proposal_id = ANY(:p)"),
            {"u": users, "p": pool}).scalar(),
        "pool_counter": db.execute(sa.text(
            "SELECT coalesce(sum(vote_count), 0) FROM proposals WHERE id = ANY(:p)"),
            {"p": pool}).scalar(),
    }


class MemorySampler(threading.Thread):
    """The highest resident memory (VmRSS, and VmHWM when read) of every gunicorn worker."""

    def __init__(self, master_pid: int):
        super().__init__(daemon=True)
        self.master = master_pid
        self.peak_kb: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop.wait(0.5):
            try:
                children = [child.pid for child in psutil.Process(self.master).children()]
            except psutil.Error:
                continue
            for pid in children:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith(("VmHWM", "VmRSS")):
                        kb = int(line.split()[1])
                        self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), kb)


def serve(url: str, port: int, workers: int | None, log: Path, env_extra: dict):
    """gunicorn as `make serve` runs it, on 127.0.0.1:port; returns the process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "BENCH_"))}
    env.update({
        "COCREA_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
        "BASE_URL": f"http://127.0.0.1:{port}", "PORT": str(port),
        "RATELIMIT_STORAGE_URI": REDIS, "REDIS_URL": REDIS,
        # Counters and mail of this run only, beside whatever else shares the Redis.
        "RATELIMIT_KEY_PREFIX": f"cocrea-load-{port}-{secrets.token_hex(4)}",
        "MAIL_QUEUE_NAME": f"cocrea-load-mail-{port}",
        "PDF_CACHE_DIR": tempfile.mkdtemp(prefix="cocrea-load-pdf-"),
        "GUNICORN_LOG_LEVEL": "warning", **env_extra,
    })
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    env.pop("BIND", None)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and config
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return process, env["PDF_CACHE_DIR"]
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"load: gunicorn exited ({log.read_text()[-2000:]})")
        time.sleep(0.2)
    process.terminate()
    raise SystemExit("load: the server did not answer /readyz")


def wait_for_deploy_render(folder: Path, limit: float = 600) -> float | None:
    """Seconds until the deploy's render-ahead of the plan PDF is on disk (part of the deploy,
    as a rolling deploy warms an instance before it takes traffic); None if it never was."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if any(folder.glob("*.pdf")):
            return round(time.monotonic() - started, 1)
        time.sleep(0.5)
    return None


def locust_stats(prefix: Path) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv") as stream:
        for row in csv.DictReader(stream):
            if row["Name"] == "Aggregated":
                continue
            rows.append({
                "name": row["Name"], "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": round(float(row["50%"] or 0)), "p99_ms": round(float(row["99%"] or 0)),
                "max_ms": round(float(row["Max Response Time"] or 0)),
            })
    return rows


def server_errors(log: Path) -> int:
    errors = 0
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                errors += json.loads(line).get("status", 0) >= 500
            except ValueError:
                continue
    return errors


def counts_check(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "BENCH_"))}
    env.update({"DATABASE_URL": url, "COCREA_ENV": "development"})
    result = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "counts", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    lines = (result.stdout + result.stderr).strip().splitlines()
    return {"exit_code": result.returncode, "summary": lines[-1] if lines else ""}


def goals(report: dict) -> dict[str, bool]:
    """The issue's bar for a load run (its results file's fields): no error; every support the
    server acknowledged stored exactly once (rows and stored counters, `flask counts check`);
    the whole room (every participant's supports, first sign-in to last support) within
    ROOM_SECONDS; no worker above WORKER_MB."""
    supports = report["supports"]
    window = supports.get("seconds_from_first_sign_in_to_last_support")
    return {
        "no errors": report["errors"] == 0,
        "each acknowledged support stored exactly once": (
            supports["stored_votes_added"] == supports["acknowledged"]
            == supports["stored_counter_added"] and report["counts_check"]["exit_code"] == 0),
        f"the whole room within {ROOM_SECONDS} s": (
            supports["acknowledged"] == supports["expected"] and window is not None
            and window <= ROOM_SECONDS),
        f"worker peak RSS <= {WORKER_MB} MB": 0 < report["worker_peak_rss_mb"] <= WORKER_MB,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=PG_URL)
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--supports", type=int, default=10)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=75, help="locust's run time")
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--port", type=int, default=5291)
    parser.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    url = args.database_url
    database = "postgres" if url.startswith("postgresql") else "sqlite"
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = args.out or RUNS / f"{stamp}-load-{database}.json"
    work = Path(tempfile.mkdtemp(prefix="cocrea-load-"))
    plan = choose(url, args.participants, args.supports, args.readers)
    expected = sum(len(p["supports"]) for p in plan["participants"])
    plan["summary"] = str(work / "summary.json")
    (work / "plan.json").write_text(json.dumps(plan))
    room = args.participants * args.supports
    env_extra = {  # the room shares one address: per-IP limits sized for it (README)
        "SUPPORT_RATE_LIMIT_PER_IP": f"{max(600, room * 2)}/minute",
        "RATELIMIT_LOGIN_IP": f"{max(300, args.participants * 3)} per 5 minutes",
    }
    log = work / "gunicorn.log"
    started_load = [round(v, 2) for v in os.getloadavg()]
    server, pdf_folder = serve(url, args.port, args.workers, log, env_extra)
    pdf_ready_after = wait_for_deploy_render(Path(pdf_folder))
    sampler = MemorySampler(server.pid)
    sampler.start()
    users = args.participants + args.readers + 1
    try:
        locust = subprocess.run(  # noqa: S603
            [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "--host", f"http://127.0.0.1:{args.port}", "-u", str(users),
             "-r", str(args.spawn_rate), "-t", f"{args.seconds}s", "--stop-timeout", "10",
             "--csv", str(work / "locust"), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "LOAD_PLAN": str(work / "plan.json")},
            capture_output=True, text=True, timeout=args.seconds + 120)
    finally:
        sampler.stop.set()
        sampler.join(2)
        server.terminate()
        server.wait(30)
    routes = locust_stats(work / "locust")
    summary = json.loads(Path(plan["summary"]).read_text()) \
        if Path(plan["summary"]).exists() else {}
    engine = sa.create_engine(url)
    with engine.connect() as db:
        after = counts(db, [p["id"] for p in plan["participants"]], plan["pool"])
    engine.dispose()
    before = plan["before"]
    signed, supported = summary.get("signed_in", []), summary.get("supports", [])
    window = round(max(supported) - min(signed), 1) if signed and supported else None
    pdf = next((row for row in routes if row["name"] == "/plan/export.pdf"), None)
    failures = sum(row["failures"] for row in routes)
    report = {
        "kind": "load", "database": database, "measured_at": time.strftime(
            "%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "scale": round(after["votes"] / 1_000_000, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": started_load},
        "scenario": {
            "description": (
                f"{args.participants} participants sign in and support {args.supports} "
                f"proposals each (reading each page first, 1-3 s between), {args.readers} "
                f"readers browse theme and proposal pages (1-3 s between; now and then /plan "
                f"and its PDF), one probe asks /healthz twice a second; locust {args.seconds} s "
                f"headless, spawning {args.spawn_rate:g} users/s; gunicorn.conf.py with "
                f"COCREA_ENV=production, PostgreSQL, Redis for rate limits, 127.0.0.1 only; "
                f"per-IP limits for the room: {env_extra}."),
            "participants": args.participants, "readers": args.readers,
            "seconds": args.seconds, "room_limits": env_extra,
        },
        "routes": routes,
        "errors": failures + server_errors(log),
        "server_errors": server_errors(log),
        "supports": {
            "participants": len(plan["participants"]), "expected": expected,
            "acknowledged": len(supported), "refused": summary.get("refused"),
            "stored_votes_added": after["room_votes"] - before["room_votes"],
            "stored_counter_added": after["pool_counter"] - before["pool_counter"],
            "all_votes_added": after["votes"] - before["votes"],
            "seconds_from_first_sign_in_to_last_support": window,
        },
        "counts_check": counts_check(url),
        "workers": len(sampler.peak_kb),
        "worker_peak_rss_mb": round(max(sampler.peak_kb.values(), default=0) / 1024),
        "worker_peak_rss_each_mb": sorted((round(kb / 1024) for kb in sampler.peak_kb.values()),
                                          reverse=True),
        "pdf": {
            "summary": (f"{pdf['requests']} downloads during the run, p50 {pdf['p50_ms']} ms, "
                        f"p99 {pdf['p99_ms']} ms, slowest {pdf['max_ms']} ms; the deploy's "
                        f"render-ahead process had it on disk {pdf_ready_after} s after the "
                        f"server was ready, before the load began")
                       if pdf else "no download in this run",
            "ready_after_s": pdf_ready_after,
        },
        "locust_exit_code": locust.returncode,
        "locust_tail": (locust.stdout + locust.stderr)[-1500:],
    }
    report["goals"] = goals(report)
    ok = all(report["goals"].values())
    report["ok"] = ok
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(json.dumps({k: report[k] for k in ("routes", "errors", "supports", "counts_check",
                                             "worker_peak_rss_mb", "pdf", "goals", "ok")},
                     indent=1))
    print(f"load: wrote {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
