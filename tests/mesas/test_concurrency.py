"""Seat accounting under concurrent registrations, against real commits.

These tests cannot use the savepoint of the `db` fixture: each thread has its own session and
commits. On SQLite they use their own database file; with TEST_DATABASE_URL they use that
PostgreSQL database and delete what they created.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from app import create_app
from app.extensions import db
from app.mesas import services
from app.models import ActionPlan, Mesa, MesaRegistration, Theme, User
from tests.factories import MesaFactory, UserFactory

USERS = 30
SEATS = 10


@pytest.fixture
def committed_app():
    from config import TestConfig

    folder = Path(tempfile.mkdtemp(prefix="cocrea-mesas-"))
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{folder / 'concurrency.db'}"

    class ConcurrencyConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(ConcurrencyConfig)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def full_house(committed_app):
    """A committed mesa with SEATS seats and USERS participants; removed afterwards."""
    with committed_app.app_context():
        mesa = MesaFactory(capacity=SEATS)
        users = UserFactory.create_batch(USERS)
        db.session.commit()
        ids = (mesa.id, mesa.theme_id, mesa.theme.plan_id, [user.id for user in users])
        db.session.remove()
    yield ids
    mesa_id, theme_id, plan_id, user_ids = ids
    with committed_app.app_context():
        db.session.execute(delete(MesaRegistration).where(MesaRegistration.mesa_id == mesa_id))
        db.session.execute(delete(Mesa).where(Mesa.id == mesa_id))
        db.session.execute(delete(Theme).where(Theme.id == theme_id))
        db.session.execute(delete(ActionPlan).where(ActionPlan.id == plan_id))
        db.session.execute(delete(User).where(User.id.in_(user_ids)))
        db.session.commit()
        db.session.remove()


def _run_together(app, user_ids, action):
    # Each worker runs inside a POST request, as production does: on SQLite a write request
    # takes the write lock at BEGIN (app/database.py) instead of failing on upgrade.
    """Run `action(mesa_id, user_id)` for every user at once, each in its own session."""
    barrier = threading.Barrier(len(user_ids))
    errors: list[BaseException] = []
    outcomes: dict[int, str] = {}

    def worker(user_id):
        with app.app_context(), app.test_request_context(method="POST"):
            try:
                barrier.wait(timeout=30)
                outcomes[user_id] = action(user_id)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported by the test
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes, errors


def _state(app, mesa_id):
    with app.app_context():
        mesa = db.session.get(Mesa, mesa_id)
        rows = db.session.execute(
            select(MesaRegistration.user_id, MesaRegistration.status)
            .where(MesaRegistration.mesa_id == mesa_id)
            .order_by(MesaRegistration.created_at, MesaRegistration.id)
        ).all()
        taken = mesa.seats_taken
        db.session.remove()
    return taken, rows


def test_concurrent_registrations_never_overbook(committed_app, full_house):
    mesa_id, _, _, user_ids = full_house

    def register(user_id):
        mesa = db.session.get(Mesa, mesa_id)
        return services.register_for_mesa(mesa, db.session.get(User, user_id)).status

    outcomes, errors = _run_together(committed_app, user_ids, register)
    assert errors == []
    assert sorted(outcomes.values()).count("registered") == SEATS
    assert sorted(outcomes.values()).count("waitlisted") == USERS - SEATS
    taken, rows = _state(committed_app, mesa_id)
    assert taken == SEATS
    assert [status for _, status in rows].count("registered") == SEATS
    assert len(rows) == USERS


def test_concurrent_duplicate_registrations_count_once(committed_app, full_house):
    mesa_id, _, _, user_ids = full_house
    same_user = [user_ids[0]] * 8

    def register(user_id):
        mesa = db.session.get(Mesa, mesa_id)
        return services.register_for_mesa(mesa, db.session.get(User, user_id)).status

    outcomes, errors = _run_together(committed_app, same_user, register)
    assert len(errors) == len(same_user) - 1
    assert all(isinstance(error, services.Conflict) for error in errors)
    taken, rows = _state(committed_app, mesa_id)
    assert taken == 1 and len(rows) == 1


def test_concurrent_cancellations_promote_the_waiting_list_in_order(committed_app, full_house):
    mesa_id, _, _, user_ids = full_house
    with committed_app.app_context(), committed_app.test_request_context(method="POST"):
        mesa = db.session.get(Mesa, mesa_id)
        for user_id in user_ids:  # one at a time: a known order
            services.register_for_mesa(mesa, db.session.get(User, user_id))
            db.session.commit()
        db.session.remove()
    leaving = user_ids[:5]

    def unregister(user_id):
        mesa = db.session.get(Mesa, mesa_id)
        return services.unregister_from_mesa(mesa, db.session.get(User, user_id)).status

    outcomes, errors = _run_together(committed_app, leaving, unregister)
    assert errors == []
    taken, rows = _state(committed_app, mesa_id)
    assert taken == SEATS
    registered = [user_id for user_id, status in rows if status == "registered"]
    assert sorted(registered) == sorted(user_ids[5:SEATS + 5])
    waiting = [user_id for user_id, status in rows if status == "waitlisted"]
    assert waiting == user_ids[SEATS + 5:]
