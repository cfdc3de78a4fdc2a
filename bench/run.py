"""`make bench`: how the cost of each page grows with the data, in one process.

For each scale: a fresh database, the `bench-data` dataset, then every endpoint measured
with the Flask test client after a warm-up: median and p95 wall time in ms, median CPU time
of this process, SQL statements per request, and each median's ratio to /healthz measured in
the same run (the machine is shared: ratios and medians, not single timings). Each run
writes one results file, bench/results/runs/<UTC time>-<database>.json (machine, date,
database, scales, per-endpoint figures, goals), and a copy as bench/results/latest-<db>.json;
`python -m bench.report --write README.md` builds the README's tables from the run files.

    python -m bench.run [--db sqlite|postgres] [--scales 0.01,0.1,1] [--requests 200]
    python -m bench.run --reuse sqlite:////tmp/cocrea-bench-1.db --only theme_votes,healthz

`--reuse URL` measures an existing bench database (no regeneration; its scale is read from
the proposal count); `--only` measures a subset of endpoints (healthz is always kept).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.config import bench_config  # noqa: E402

RESULTS = ROOT / "bench" / "results"
RUNS = RESULTS / "runs"
PG_URL = os.environ.get("BENCH_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/cocrea_bench")
PENDING_MARK = b"disponible pronto"
NOT_QUERIES = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)
# The bar (issue 21): every public GET at most 15x /healthz, at every scale, and within
# 1.5x of its own cost at the smallest scale of the run. POSTs keep their earlier goal.
GET_BAR = 15
GOALS = {"support_toggle": 6}
MAX_QUERIES = 6
PDF_SECONDS = 2.0
FLAT_RATIO = 1.5
MIN_REQUESTS = 5
# Downloads measured for their own goal (a kept PDF; the first render), not against the bar.
SLOW_GETS = {"plan_pdf", "plan_pdf_cold", "mesas_ics"}


class QueryCounter:
    """Counts the SQL statements the application sends (transaction control excluded)."""

    def __init__(self, engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, _conn, _cursor, statement, *_args):
        if not NOT_QUERIES.match(statement):
            self.count += 1


def fresh_database(kind: str, scale: float, workdir: Path) -> str:
    if kind == "sqlite":
        path = workdir / f"cocrea-bench-{scale:g}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    parts = urlsplit(PG_URL)
    name = parts.path.lstrip("/")
    admin = sa.create_engine(urlunsplit(parts._replace(path="/postgres")),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return PG_URL


def create_schema() -> None:
    """The models' tables plus what create_all does not know (the search index)."""
    from app.models.search_schema import create_search_schema

    db.create_all()
    with db.engine.begin() as connection:
        create_search_schema(connection)


def add_missing_indexes() -> list[str]:
    """The models' indexes a reused database lacks (added by migrations since it was built),
    created, so a reused dataset is measured on the current schema; returns their names."""
    inspector = sa.inspect(db.engine)
    added = []
    for table in db.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        present = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in present:
                index.create(db.engine)
                added.append(index.name)
    if added and db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return added


def pick_targets(app) -> dict:
    """The theme, proposals and accounts the endpoints are measured on."""
    from app.datasets.bench import BENCH_PASSWORD, EMAIL_DOMAIN
    from app.models import Proposal, Theme, User

    with app.app_context():
        visible = sa.and_(Proposal.hidden.is_(False))
        theme = db.session.scalar(sa.select(Theme).order_by(Theme.position).limit(1))
        in_theme = db.session.scalar(sa.select(sa.func.count(Proposal.id))
                                     .where(visible, Proposal.theme_id == theme.id))
        per_page = app.config.get("PROPOSALS_PER_PAGE", 20)
        fifty = db.session.scalar(
            sa.select(Proposal.id).where(visible, Proposal.comment_count >= 50)
            .order_by(Proposal.comment_count, Proposal.id).limit(1))
        biggest = db.session.scalar(
            sa.select(Proposal.id).where(visible).order_by(Proposal.comment_count.desc())
            .limit(1))
        hot = db.session.scalar(
            sa.select(Proposal).where(visible, Proposal.status == "open")
            .order_by(Proposal.vote_count.desc()).limit(1))
        voter = db.session.scalar(
            sa.select(User).where(User.role == "participant", User.id != hot.author_id)
            .order_by(User.id.desc()).limit(1))
        return {
            "slug": theme.slug, "deep_page": max(1, -(-in_theme // per_page)),
            "proposal_50": fifty, "proposal_big": biggest, "hot": hot.id,
            "voter": voter.email, "password": BENCH_PASSWORD, "domain": EMAIL_DOMAIN,
            # Accounts 2-5 are the dataset's moderators (app/datasets/bench_plan.py).
            "moderator": f"bench2@{EMAIL_DOMAIN}",
            "plan_slug": theme.plan.slug,
            "commitment": 1,
        }


def endpoints(t: dict) -> list[tuple[str, str, str, dict]]:
    """(name, method, path, options); POSTs run signed in."""
    theme = f"/themes/{t['slug']}"
    return [
        ("healthz", "GET", "/healthz", {}),
        ("home", "GET", "/", {}),
        ("themes", "GET", "/themes", {}),
        ("theme_votes", "GET", f"{theme}?sort=votes", {}),
        ("theme_recent", "GET", f"{theme}?sort=recent", {}),
        ("theme_comments", "GET", f"{theme}?sort=comments", {}),
        ("theme_votes_deep", "GET", f"{theme}?sort=votes&page={t['deep_page']}", {}),
        ("theme_recent_deep", "GET", f"{theme}?sort=recent&page={t['deep_page']}", {}),
        ("search", "GET", "/proposals?q=transparencia", {}),
        ("search_presupuesto", "GET", "/proposals?q=presupuesto", {}),
        ("proposal_50_comments", "GET", f"/proposals/{t['proposal_50']}", {}),
        ("proposal_big_thread", "GET", f"/proposals/{t['proposal_big']}", {}),
        ("api_proposals", "GET", "/api/v1/proposals", {}),
        ("feed_theme", "GET", f"/feeds/themes/{t['slug']}.atom", {}),
        ("feed_decisions", "GET", "/feeds/decisions.atom", {}),
        ("feed_progress", "GET", "/feeds/progress.atom", {}),
        ("sitemap", "GET", "/sitemap.xml", {}),
        ("sitemap_pages", "GET", "/sitemap-pages.xml", {}),
        # A page of up to SITEMAP_PAGE_SIZE (50,000) proposal URLs, kept per content version.
        ("sitemap_proposals", "GET", "/sitemap-proposals-1.xml", {}),
        ("plan", "GET", "/plan", {}),
        ("plan_pdf", "GET", "/plan/export.pdf", {"slow": True}),
        # A plan content never rendered before (the kept PDFs forgotten before each request):
        # what a download costs when rendering ahead has not happened.
        ("plan_pdf_cold", "GET", "/plan/export.pdf", {"slow": True, "before": _forget_pdfs}),
        ("plan_version", "GET", "/plan/versions/1", {}),
        ("transparency", "GET", "/transparency", {}),
        ("proposals", "GET", "/proposals", {}),
        ("proposal_history", "GET", f"/proposals/{t['proposal_50']}/history", {}),
        ("mesas", "GET", "/mesas", {}),
        ("api_themes", "GET", "/api/v1/themes", {}),
        ("api_proposal", "GET", f"/api/v1/proposals/{t['proposal_50']}", {}),
        ("api_plan", "GET", "/api/v1/plan", {}),
        ("api_timeline", "GET", "/api/v1/timeline", {}),
        ("terms", "GET", "/terms", {}),
        ("privacy", "GET", "/privacy", {}),
        ("plans", "GET", "/plans", {}),
        ("plan_detail", "GET", f"/plans/{t['plan_slug']}", {}),
        ("timeline", "GET", "/timeline", {}),
        ("mesas_ics", "GET", "/mesas.ics", {}),
        ("repository", "GET", "/repository", {}),
        ("repository_minutes", "GET", "/repository?type=minutes", {}),
        ("api_documents", "GET", "/api/v1/documents?per_page=100", {}),
        ("feed_plan_versions", "GET", "/feeds/plan-versions.atom", {}),
        ("api_docs", "GET", "/api/docs", {}),
        ("participation", "GET", "/account/participation", {"signed_in": True}),
        # The technical table's pages (signed in as a moderator).
        ("admin_dashboard", "GET", "/admin", {"signed_in": "moderator"}),
        ("moderation_queue", "GET", "/moderation", {"signed_in": "moderator"}),
        ("ogp_requirements", "GET", "/transparency/ogp", {}),
        ("api_ogp_requirements", "GET", "/api/v1/ogp-requirements", {}),
        ("commitment_trail", "GET", f"/plan/commitments/{t.get('commitment', 1)}/trail", {}),
        # Commitment 1 holds the 500 consultation comments of app/datasets/bench_plan.py.
        ("commitment_500_comments", "GET", f"/plan/commitments/{t.get('commitment', 1)}", {}),
        ("consultation_report", "GET", "/plan/consultation", {}),
        ("api_commitment", "GET", f"/api/v1/plan/commitments/{t.get('commitment', 1)}", {}),
        # The previous plan in implementation: 40 commitments, 400 updates (bench_data.py).
        ("tracking", "GET", "/tracking", {}),
        ("tracking_csv", "GET", "/tracking.csv", {}),
        ("api_tracking", "GET", "/api/v1/tracking", {}),
        ("support_toggle", "POST", f"/proposals/{t['hot']}/vote", {"signed_in": True}),
        ("comment_post", "POST", f"/proposals/{t['hot']}/comments",
         {"signed_in": True, "data": {"body": "Comentario de la prueba de rendimiento."}}),
    ]


def _forget_pdfs() -> None:
    from app.plan import pdf

    pdf._memory.clear()


def measure(app, counter: QueryCounter, targets: dict, requests: int, warmup: int,
            slow_requests: int, budget: float = 30.0, only: set | None = None) -> dict:
    anonymous = app.test_client()
    clients, logins = {}, {}
    for role, email in (("participant", targets["voter"]),
                        ("moderator", targets.get("moderator"))):
        clients[role] = app.test_client()
        logins[role] = clients[role].post("/auth/login", data={
            "email": email, "password": targets["password"]}).status_code
    results = {}
    for name, method, path, options in endpoints(targets):
        if only and name not in only and name != "healthz":
            continue
        role = options.get("signed_in")
        role = "participant" if role is True else role
        client = clients[role] if role else anonymous
        if role and logins[role] not in (302, 303):
            results[name] = {"status": "error", "detail": f"login {logins[role]}"}
            continue
        kwargs = {"headers": {"HX-Request": "true"}} if method == "POST" else {}
        if options.get("data"):
            kwargs["data"] = options["data"]
        first = client.open(path, method=method, **kwargs)
        if first.status_code in (404, 405) or PENDING_MARK in first.data:
            results[name] = {"status": "missing", "http": first.status_code}
            continue
        if first.status_code >= 400:
            results[name] = {"status": "error", "http": first.status_code,
                             "detail": first.get_data(as_text=True)[:200]}
            continue
        count = slow_requests if options.get("slow") else requests
        warm_until = time.perf_counter() + budget / 4
        for index in range(min(warmup, count)):
            if index >= 1 and time.perf_counter() > warm_until:
                break
            client.open(path, method=method, **kwargs)
        timings, cpu, queries, statuses = [], [], [], set()
        deadline = time.perf_counter() + budget
        for index in range(count):
            if index >= MIN_REQUESTS and time.perf_counter() > deadline:
                break  # a page slow enough to hit the budget is reported on fewer requests
            if options.get("before"):
                options["before"]()
            before = counter.count
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.open(path, method=method, **kwargs)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            queries.append(counter.count - before)
            statuses.add(response.status_code)
        timings.sort()
        results[name] = {
            "method": method, "path": path,
            "status": "ok" if max(statuses) < 400 else "error",
            "http": sorted(statuses),
            "requests": len(timings),
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 2),
            # This process's CPU per request: steadier than wall time on a shared machine
            # (on PostgreSQL it leaves out the server's own work).
            "cpu_median_ms": round(statistics.median(cpu), 2),
            "queries": max(set(queries), key=queries.count),
            "queries_max": max(queries),
        }
    floor = results.get("healthz", {}).get("median_ms")
    cpu_floor = results.get("healthz", {}).get("cpu_median_ms")
    for result in results.values():
        if floor and "median_ms" in result:
            result["ratio_to_healthz"] = round(result["median_ms"] / floor, 1)
        if cpu_floor and "cpu_median_ms" in result:
            result["cpu_ratio_to_healthz"] = round(result["cpu_median_ms"] / cpu_floor, 1)
    return results


def existing_dataset(app) -> tuple[float, dict]:
    """The scale and counts of a database bench-data already filled."""
    from app.models import Comment, Proposal, User, Vote

    with app.app_context():
        counts = {model.__tablename__: db.session.scalar(sa.select(sa.func.count())
                                                         .select_from(model))
                  for model in (User, Proposal, Vote, Comment)}
    return round(counts.get(Proposal.__tablename__, 0) / 20000, 4), counts


def run_scale(kind: str, scale: float, requests: int, warmup: int, slow_requests: int,
              workdir: Path, budget: float = 30.0, only: set | None = None,
              reuse: str | None = None) -> dict:
    from app.datasets.bench import generate

    if reuse:
        app = create_app(bench_config(reuse))
        scale, counts = existing_dataset(app)
        dataset = {"dataset": counts, "seconds": None, "cpu_seconds": None}
        with app.app_context():
            added = add_missing_indexes()
            if added:
                print(f"bench: indexes added to the reused database: {', '.join(added)}",
                      flush=True)
            counter = QueryCounter(db.engine)
    else:
        url = fresh_database(kind, scale, workdir)
        app = create_app(bench_config(url))
        with app.app_context():
            create_schema()
            dataset = generate(scale, echo=lambda _line: None)
            counter = QueryCounter(db.engine)
    targets = pick_targets(app)
    results = measure(app, counter, targets, requests, warmup, slow_requests, budget, only)
    with app.app_context():
        db.engine.dispose()
    return {
        "database": kind, "scale": scale, "dataset": dataset["dataset"],
        "dataset_seconds": dataset["seconds"], "dataset_cpu_seconds": dataset["cpu_seconds"],
        "targets": targets, "endpoints": results,
    }


def check_goals(runs: list[dict]) -> dict:
    """Where the run stands against the bar: for every GET at every scale, its ratio to
    /healthz (at most GET_BAR); at the largest scale, its median over the smallest scale's
    (at most FLAT_RATIO); queries per request; the PDF. `outside` lists what misses."""
    first = runs[0]["endpoints"]
    outside: list[str] = []
    for run in runs:
        for name, result in run["endpoints"].items():
            ratio = result.get("ratio_to_healthz")
            if result.get("method") == "GET" and name not in SLOW_GETS and ratio is not None \
                    and ratio > GET_BAR:
                outside.append(f"{name}: {ratio}x /healthz at S={run['scale']:g}")
    last = runs[-1]["endpoints"]
    goals: dict = {}
    for name, limit in GOALS.items():
        ratio = last.get(name, {}).get("ratio_to_healthz")
        goals[f"{name} <= {limit}x healthz"] = None if ratio is None else ratio <= limit
    flat = {}
    for name, result in last.items():
        if "median_ms" in result and "median_ms" in first.get(name, {}) and len(runs) > 1:
            flat[name] = round(result["median_ms"] / first[name]["median_ms"], 2)
            if flat[name] > FLAT_RATIO and name not in SLOW_GETS and name != "healthz":
                outside.append(f"{name}: {flat[name]}x its cost at S={runs[0]['scale']:g}")
    goals[f"every GET <= {GET_BAR}x healthz at every scale"] = not any(
        "/healthz" in item for item in outside)
    goals["flat (largest / smallest scale median)"] = flat
    goals[f"every endpoint within {FLAT_RATIO}x"] = (
        all(ratio <= FLAT_RATIO for name, ratio in flat.items() if name not in SLOW_GETS)
        if flat else None)
    counts = {name: r["queries"] for name, r in last.items() if "queries" in r}
    goals[f"queries per page <= {MAX_QUERIES}"] = all(q <= MAX_QUERIES for q in counts.values())
    pdf = last.get("plan_pdf", {}).get("median_ms")
    goals[f"plan pdf <= {PDF_SECONDS} s"] = None if pdf is None else pdf <= PDF_SECONDS * 1000
    cold = last.get("plan_pdf_cold", {}).get("median_ms")
    goals[f"plan pdf first render <= {PDF_SECONDS} s"] = (
        None if cold is None else cold <= PDF_SECONDS * 1000)
    goals["outside"] = outside
    return goals


def machine() -> dict:
    """What the figures were measured on: cores, memory, system, load when the run began."""
    memory_kb = 0
    try:
        with open("/proc/meminfo") as meminfo:
            memory_kb = int(next(line for line in meminfo if line.startswith("MemTotal"))
                            .split()[1])
    except (OSError, StopIteration, ValueError):
        pass
    return {"cpus": os.cpu_count(), "memory_gb": round(memory_kb / 2**20, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average": [round(value, 2) for value in os.getloadavg()]}


def database_version(url: str) -> str:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                return "SQLite " + connection.exec_driver_sql("select sqlite_version()").scalar()
            version = connection.exec_driver_sql("show server_version").scalar()
            return "PostgreSQL " + version.split()[0]
    except sa.exc.SQLAlchemyError:
        return "unknown"
    finally:
        engine.dispose()


def print_table(runs: list[dict], out=sys.stdout) -> None:
    scales = [run["scale"] for run in runs]
    names = list(runs[-1]["endpoints"])
    header = f"{'endpoint':<22}" + "".join(f"{'S=' + format(s, 'g'):>11}" for s in scales)
    header += f"{'p95':>9}{'cpu':>8}{'queries':>9}{'x healthz':>10}"
    print(f"\nDatabase: {runs[-1]['database']}; median ms per scale "
          f"(p95, queries and ratio at S={scales[-1]:g})", file=out)
    print(header, file=out)
    for name in names:
        cells = []
        for run in runs:
            result = run["endpoints"].get(name, {})
            cells.append(f"{result['median_ms']:>11.1f}" if "median_ms" in result
                         else f"{result.get('status', '-'):>11}")
        last = runs[-1]["endpoints"].get(name, {})
        tail = (f"{last['p95_ms']:>9.1f}{last['cpu_median_ms']:>8.1f}{last['queries']:>9}"
                f"{last.get('ratio_to_healthz', 0):>10}"
                if "median_ms" in last else "")
        print(f"{name:<22}" + "".join(cells) + tail, file=out)
    for run in runs:
        print(f"S={run['scale']:g}: dataset {run['dataset']} in {run['dataset_seconds']} s "
              f"({run['dataset_cpu_seconds']} s CPU in this process)", file=out)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--scales", default="0.01,0.1,1")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--slow-requests", type=int, default=5,
                        help="requests for the PDF export (about a second each)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds per endpoint; slower pages stop after 5 requests")
    parser.add_argument("--out", type=Path, default=None,
                        help="results file (default: bench/results/runs/<time>-<db>.json)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--only", default="",
                        help="comma-separated endpoint names to measure (healthz always)")
    parser.add_argument("--reuse", metavar="URL",
                        help="measure this existing bench database instead of generating")
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()} or None
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    if args.reuse:
        args.db = "postgres" if args.reuse.startswith("postgresql") else "sqlite"
        if only:  # a subset of endpoints is not a run the README's tables may use
            args.out = args.out or RESULTS / "partial.json"
    args.out = args.out or RUNS / f"{stamp}-{args.db}.json"
    started_machine = machine()
    runs = []
    for scale in [None] if args.reuse else (float(value) for value in args.scales.split(",")):
        print(f"bench: {args.db} S={scale if scale is not None else 'existing'} ...",
              flush=True)
        runs.append(run_scale(args.db, scale, args.requests, args.warmup, args.slow_requests,
                              args.workdir, args.budget, only, args.reuse))
    largest = runs[-1]
    report = {
        "database": args.db, "scale": largest["scale"], "dataset": largest["dataset"],
        "dataset_seconds": largest["dataset_seconds"], "endpoints": largest["endpoints"],
        "goals": check_goals(runs), "runs": runs,
        "machine": {**started_machine,
                    "load_average_after": [round(v, 2) for v in os.getloadavg()],
                    "database_server": database_version(
                        args.reuse or (PG_URL if args.db == "postgres" else "sqlite://"))},
        "requests": args.requests, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                time.gmtime()),
        "scales": [run["scale"] for run in runs], "reused": bool(args.reuse),
        "only": sorted(only) if only else None,
    }
    print_table(runs)
    print("goals:", json.dumps(report["goals"], indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=1, ensure_ascii=False)
    args.out.write_text(text)
    if args.out.parent == RUNS:
        (RESULTS / f"latest-{args.db}.json").write_text(text)
    print(f"bench: wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
