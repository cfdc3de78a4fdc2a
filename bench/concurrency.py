"""Concurrency correctness through a real server: N accounts act at the same moment.

1. N accounts support one proposal at once (then withdraw at once): the stored counter and
   the rows must move by exactly N, with zero errors.
2. When the mesas feature is there: N accounts register for a mesa of 50 seats at once:
   exactly 50 seats taken, never more, zero server errors.

    python -m bench.concurrency --url http://127.0.0.1:5190 --database-url sqlite:///...
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.config import bench_config  # noqa: E402

SEATS = 50


class Browser:
    """One account's cookies over plain http.client (no extra dependency)."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}

    def post(self, path: str, data: dict | None = None, htmx: bool = True) -> int:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if htmx:
            headers["HX-Request"] = "true"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request("POST", path, body=urlencode(data or {}), headers=headers)
            response = connection.getresponse()
            response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status
        except OSError:
            return 599
        finally:
            connection.close()


def at_once(browsers: list[Browser], path: str) -> list[int]:
    """Every browser POSTs `path` as close to the same moment as threads allow."""
    barrier = threading.Barrier(len(browsers))
    statuses = [0] * len(browsers)

    def act(index: int, browser: Browser) -> None:
        barrier.wait()
        statuses[index] = browser.post(path)

    threads = [threading.Thread(target=act, args=(i, b)) for i, b in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def summary(statuses: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in statuses:
        counts[str(status)] = counts.get(str(status), 0) + 1
    return counts


def run(base: str, database_url: str, accounts: int) -> dict:
    from app.datasets.bench import BENCH_PASSWORD
    from app.models import Proposal, User, Vote

    app = create_app(bench_config(database_url))
    report: dict = {"accounts": accounts}
    has_vote = any(rule.rule.endswith("/vote") for rule in app.url_map.iter_rules())
    has_mesas = any(rule.rule.startswith("/mesas/") and rule.rule.endswith("/register")
                    for rule in app.url_map.iter_rules())
    with app.app_context():
        participants = db.session.scalar(sa.select(sa.func.count()).select_from(User)
                                         .where(User.role == "participant"))
        # The most supported open proposal that still has `accounts` possible supporters.
        proposal = db.session.scalar(
            sa.select(Proposal).where(Proposal.hidden.is_(False), Proposal.status == "open",
                                      Proposal.vote_count <= participants - accounts - 1)
            .order_by(Proposal.vote_count.desc()).limit(1))
        voted = sa.select(Vote.user_id).where(Vote.proposal_id == proposal.id)
        users = db.session.scalars(
            sa.select(User).where(User.role == "participant", User.id != proposal.author_id,
                                  User.id.not_in(voted))
            .order_by(User.id).limit(accounts)).all()
        emails = [user.email for user in users]
        proposal_id = proposal.id

    def counts() -> tuple[int, int]:
        with app.app_context():
            stored = db.session.scalar(sa.select(Proposal.vote_count)
                                       .where(Proposal.id == proposal_id))
            rows = db.session.scalar(sa.select(sa.func.count()).select_from(Vote)
                                     .where(Vote.proposal_id == proposal_id))
            return stored, rows

    browsers = []
    for email in emails:
        browser = Browser(base)
        status = browser.post("/auth/login", {"email": email, "password": BENCH_PASSWORD},
                              htmx=False)
        if status not in (302, 303):
            raise SystemExit(f"concurrency: login failed for {email}: {status}")
        browsers.append(browser)

    if has_vote:
        before = counts()
        support = at_once(browsers, f"/proposals/{proposal_id}/vote")
        after_support = counts()
        withdraw = at_once(browsers, f"/proposals/{proposal_id}/vote")
        after_withdraw = counts()
        report["supports"] = {
            "proposal": proposal_id, "before": before, "after_support": after_support,
            "after_withdraw": after_withdraw,
            "support_statuses": summary(support), "withdraw_statuses": summary(withdraw),
            "exact": (after_support == (before[0] + len(browsers),) * 2
                      and after_withdraw == (before[0],) * 2),
            "errors": sum(1 for s in support + withdraw if s >= 400),
        }
    else:
        report["supports"] = "missing: no vote route yet"

    if has_mesas:
        report["mesas"] = _mesa_rush(app, browsers)
    else:
        report["mesas"] = "missing: no mesa registration route yet"
    return report


def _mesa_rush(app, browsers: list[Browser]) -> dict:
    from app.models import Mesa, MesaRegistration
    from app.models.base import utcnow

    seats = min(SEATS, max(1, len(browsers) // 4))  # 200 accounts: 50 seats
    with app.app_context():
        mesa = db.session.scalar(sa.select(Mesa).where(Mesa.starts_at > utcnow())
                                 .order_by(Mesa.starts_at.desc()).limit(1))
        db.session.execute(sa.delete(MesaRegistration).where(MesaRegistration.mesa_id == mesa.id))
        mesa.capacity, mesa.seats_taken = seats, 0
        mesa_id = mesa.id
        db.session.commit()
    statuses = at_once(browsers, f"/mesas/{mesa_id}/register")
    with app.app_context():
        taken = db.session.scalar(sa.select(Mesa.seats_taken).where(Mesa.id == mesa_id))
        registered = db.session.scalar(
            sa.select(sa.func.count()).select_from(MesaRegistration)
            .where(MesaRegistration.mesa_id == mesa_id, MesaRegistration.status == "registered"))
    return {
        "mesa": mesa_id, "seats": seats, "seats_taken": taken, "registered": registered,
        "statuses": summary(statuses), "exact": taken == registered == seats,
        "errors": sum(1 for s in statuses if s >= 500),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    report = run(args.url, args.database_url, args.accounts)
    print("concurrency:", json.dumps(report, indent=1))
    if args.out:
        existing = json.loads(args.out.read_text()) if args.out.exists() else {}
        existing["concurrency"] = report
        args.out.write_text(json.dumps(existing, indent=1))
    return report


if __name__ == "__main__":
    main()
