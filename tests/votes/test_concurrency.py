"""Concurrent toggles by many accounts on one proposal leave vote_count == COUNT(*).

Runs against a separate app whose requests really commit (a file SQLite database, or a
schema of its own in TEST_DATABASE_URL's PostgreSQL), with real threads.
"""
from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Proposal, Vote
from tests.votes.live import live_app, login, make_people

pytestmark = pytest.mark.slow

ACCOUNTS = 24
THREADS = 8
TOGGLES = 5  # odd: an account toggled only by its own thread ends up supporting


def test_concurrent_toggles_leave_no_drift_and_no_error(tmp_path):
    with live_app(tmp_path) as app:
        people, proposal_id = make_people(app, ACCOUNTS)
        clients = []
        for _, email in people:
            client = app.test_client()
            login(client, email)
            clients.append(client)
        # Each thread toggles its own accounts, plus one account that every thread also
        # toggles through its own session (several tabs or devices), alternating htmx and
        # plain form posts. A test client is not thread-safe: one per thread and account.
        # (Signing in again would rotate the account's session token, so the others copy
        # the first session's cookie.)
        cookie = clients[0].get_cookie("session")
        shared_clients = []
        for _ in range(THREADS):
            client = app.test_client()
            client.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
            shared_clients.append(client)
        statuses: Counter[int] = Counter()
        lock = threading.Lock()
        barrier = threading.Barrier(THREADS)

        def work(index: int) -> None:
            mine = clients[1 + index::THREADS]
            shared = shared_clients[index]
            barrier.wait()
            for round_ in range(TOGGLES):
                for number, client in enumerate([*mine, shared]):
                    headers = {"HX-Request": "true"} if (number + round_) % 2 else {}
                    response = client.post(f"/proposals/{proposal_id}/vote", headers=headers)
                    with lock:
                        statuses[response.status_code] += 1

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert set(statuses) <= {200, 303}, statuses
        assert sum(statuses.values()) == (ACCOUNTS - 1 + THREADS) * TOGGLES
        with app.app_context():
            stored = db.session.get(Proposal, proposal_id).vote_count
            rows = db.session.scalar(select(func.count()).select_from(Vote)
                                     .where(Vote.proposal_id == proposal_id))
            assert stored == rows, statuses
            own = db.session.scalar(select(func.count()).select_from(Vote).where(
                Vote.proposal_id == proposal_id, Vote.user_id != people[0][0]))
            assert own == ACCOUNTS - 1  # every own account toggled an odd number of times
        runner = app.test_cli_runner()
        result = runner.invoke(args=["counts", "check"])
        assert result.exit_code == 0, result.output
