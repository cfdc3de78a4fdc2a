"""The plan-cycles migration keeps every row: from the previous head, with data, to head.

The 2018 plan becomes the current plan and its mesas become co-creation mesas of their
theme (registrations kept). Runs on SQLite, and on PostgreSQL when it is reachable.
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app.extensions import db
from tests.migrating import on_both_databases

PREVIOUS_HEAD = "c4d2e8a1f6b3"
WHEN = datetime(2018, 7, 5, 14, 0, tzinfo=UTC)


old_app = on_both_databases("plan_cycles_migration")


def _insert_previous_head_data() -> None:
    """What a 2018 database holds: the plan, two themes, one mesa each, a registration."""
    run = db.session.execute
    run(text("INSERT INTO users (id, email, display_name, password_hash, role, sector, active,"
             " notify_comments, notify_replies, notify_decisions, created_at)"
             " VALUES (1, 'ana@ejemplo.org', 'Ana', 'x', 'participant', 'academia', :t,"
             " :t, :t, :t, :now)"), {"t": True, "now": WHEN})
    run(text("INSERT INTO action_plans (id, slug, title, period, status, intro,"
             " allow_self_support, created_at) VALUES (1, '4to-plan-2018-2020', 'Cuarto Plan',"
             " '2018-2020', 'cocreation', 'Intro', :f, :now)"), {"f": False, "now": WHEN})
    for number in (1, 2):
        run(text("INSERT INTO themes (id, plan_id, slug, name, description, position,"
                 " max_open_proposals_per_user) VALUES (:n, 1, :slug, :name, '', :n, 5)"),
            {"n": number, "slug": f"tema-{number}", "name": f"Tema {number}"})
        run(text("INSERT INTO mesas (id, theme_id, number, starts_at, ends_at, place, capacity,"
                 " seats_taken, created_at) VALUES (:n, :n, :n, :start, :end, 'INAP', 100,"
                 " :seats, :start)"),
            {"n": number, "start": WHEN, "end": WHEN.replace(hour=21),
             "seats": 1 if number == 1 else 0})
    run(text("INSERT INTO mesa_registrations (id, mesa_id, user_id, status, attended,"
             " created_at) VALUES (1, 1, 1, 'registered', :f, :now)"),
        {"f": False, "now": WHEN})
    db.session.commit()


def test_upgrade_keeps_2018_data_as_the_current_plan_and_cocreation_mesas(old_app):
    with old_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        _insert_previous_head_data()
        upgrade()

        from app.models import ActionPlan, Mesa, MesaRegistration, Theme
        from app.plans.services import current_plan

        plan = current_plan()
        assert plan is not None and plan.slug == "4to-plan-2018-2020"
        assert plan.intro == "Intro" and plan.status == "cocreation"
        assert db.session.query(ActionPlan).count() == 1
        assert db.session.query(Theme).count() == 2
        mesas = db.session.query(Mesa).order_by(Mesa.id).all()
        assert [(m.kind, m.theme_id, m.plan_id, m.number) for m in mesas] == [
            ("cocreation", 1, 1, 1), ("cocreation", 2, 1, 2)]
        assert [m.sequence for m in mesas] == [0, 0]
        assert mesas[0].starts_at == WHEN and mesas[0].seats_taken == 1
        assert mesas[0].cancelled_at is None and mesas[0].title == ""
        registration = db.session.query(MesaRegistration).one()
        assert (registration.mesa_id, registration.user_id, registration.status) == (
            1, 1, "registered")


def test_upgraded_schema_takes_a_second_round_and_refuses_a_second_current_plan(old_app):
    from sqlalchemy.exc import IntegrityError

    with old_app.app_context():
        upgrade(revision=PREVIOUS_HEAD)
        _insert_previous_head_data()
        upgrade()
        # A second mesa for theme 1 (the unique theme_id is gone).
        db.session.execute(text(
            "INSERT INTO mesas (plan_id, kind, theme_id, number, title, starts_at, ends_at,"
            " place, capacity, seats_taken, sequence, created_at, id) VALUES (1, 'cocreation', 1,"
            " 3, 'Segunda ronda', :s, :e, 'INAP', 50, 0, 0, :s, 3)"),
            {"s": WHEN, "e": WHEN.replace(hour=21)})
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(text(
                "INSERT INTO action_plans (slug, title, period, status, intro,"
                " allow_self_support, is_current, created_at) VALUES ('otro', 'Otro',"
                " '2020-2022', 'cocreation', '', :f, :t, :now)"),
                {"f": False, "t": True, "now": WHEN})
            db.session.flush()
        db.session.rollback()
