"""The seed: the plan, the 12 themes and the 12 mesas of the 2018 call, and the previous plan
(2016-2018) with its five axes, in implementation."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.cli.reference import seed_reference_data
from app.models import ActionPlan, Mesa, Theme

GT = ZoneInfo("America/Guatemala")


def _counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (ActionPlan, Theme, Mesa))


def test_seed_creates_the_plan_twelve_themes_and_twelve_mesas(db):
    seed_reference_data()
    assert _counts(db) == (2, 17, 12)


def test_seed_loads_the_third_plan_in_implementation_with_its_five_axes(db):
    from app.plans.services import current_plan

    seed_reference_data()
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.slug == "3er-plan-2016-2018"))
    assert (plan.period, plan.status, plan.is_current) == ("2016-2018", "implementation", False)
    assert [theme.name for theme in plan.themes] == [
        "Acceso a la Información Pública", "Innovación Tecnológica", "Participación ciudadana",
        "Rendición de Cuentas", "Transparencia Fiscal"]
    assert current_plan().slug == "4to-plan-2018-2020"


def test_seed_twice_changes_nothing(runner, db):
    assert runner.invoke(args=["seed"]).exit_code == 0
    first = _counts(db)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "created 0 plan(s), 0 theme(s), 0 mesa(s)" in result.output
    assert _counts(db) == first == (2, 17, 12)


def test_mesas_follow_the_seed_schedule(seeded):
    mesas = seeded.session.scalars(select(Mesa).order_by(Mesa.number)).all()
    first, last = mesas[0], mesas[-1]
    assert first.theme.name == "Mecanismos de Transparencia y Anticorrupción"
    assert first.starts_at.astimezone(GT).date() == date(2018, 7, 5)
    assert last.theme.name == "Transparencia en los Procesos Electorales"
    assert last.starts_at.astimezone(GT).date() == date(2018, 7, 27)
    for mesa in mesas:
        local_start, local_end = mesa.starts_at.astimezone(GT), mesa.ends_at.astimezone(GT)
        assert (local_start.hour, local_start.minute) == (8, 0)
        assert (local_end.hour, local_end.minute) == (15, 0)


def test_demo_moves_the_schedule_to_the_coming_weeks_keeping_weekdays(runner, db):
    from app.models.base import utcnow

    seed_reference_data()
    before = {m.number: m.starts_at for m in db.session.scalars(select(Mesa))}
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    for mesa in db.session.scalars(select(Mesa).where(Mesa.kind == "cocreation")):
        assert mesa.starts_at > utcnow()
        weekday_before = before[mesa.number].astimezone(GT).weekday()
        assert mesa.starts_at.astimezone(GT).weekday() == weekday_before
        assert mesa.starts_at.astimezone(GT).hour == 8
        assert mesa.theme.voting_open() and mesa.theme.proposals_open()
    # The demo's forum meeting (with its record in the repository) stays in the past.
    forum = db.session.scalar(select(Mesa).where(Mesa.kind == "forum"))
    assert forum.starts_at < utcnow()


def test_pages_list_the_twelve_themes_and_mesas(client, seeded):
    for url in ("/", "/themes", "/mesas"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Transparencia en los Procesos Electorales" in response.data
    assert b"jueves 5 de julio de 2018" in client.get("/mesas").data


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok"
