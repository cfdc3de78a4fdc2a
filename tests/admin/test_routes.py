"""/admin: who may use it, the dashboard, and the plan, phase and theme forms (bad input
comes back on the form, 400, with the input kept)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import ModerationAction, Theme
from app.models.base import utcnow
from app.plans import services
from tests.factories import MesaFactory, ProposalFactory, ThemeFactory, UserFactory

ADMIN_PAGES = ["/admin/plans/new", "/admin/plans/{slug}/edit"]
MODERATOR_PAGES = ["/admin", "/admin/themes/new", "/admin/themes/{theme}/edit", "/mesas/new"]


@pytest.mark.parametrize("path", ADMIN_PAGES + MODERATOR_PAGES)
def test_participants_are_refused_and_anonymous_sent_to_sign_in(client, db, auth, path):
    theme = ThemeFactory()
    url = path.format(slug=theme.plan.slug, theme=theme.id)
    assert client.get(url).status_code in (302, 303, 401)
    auth.login_as(UserFactory())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_plan_forms_are_for_admins_only(client, db, auth, moderator, path):
    theme = ThemeFactory()
    auth.login_as(moderator)
    assert client.get(path.format(slug=theme.plan.slug)).status_code == 403


def test_dashboard_shows_phase_windows_mesas_and_pending_decisions(client, db, auth,
                                                                   moderator, admin):
    theme = ThemeFactory(name="Gobierno digital")
    ProposalFactory(theme=theme)
    MesaFactory(theme=theme, title="Primera ronda")
    today = services.local_today()
    services.add_phase(admin, theme.plan, name="Co-creación", starts_on=today,
                       ends_on=today + timedelta(days=30))
    auth.login_as(moderator)
    html = client.get("/admin").get_data(as_text=True)
    assert "Co-creación" in html and "Gobierno digital" in html
    assert "Primera ronda" in html
    assert "1 propuesta espera una decisión" in html


def test_admin_creates_the_next_plan_copying_themes(client, db, auth, admin):
    ThemeFactory(name="Educación")
    auth.login_as(admin)
    response = client.post("/admin/plans/new", data={
        "slug": "5to-plan-2026-2028", "title": "Quinto Plan", "period": "2026-2028",
        "copy_themes": "y"})
    assert response.status_code == 303
    plan = services.current_plan()
    assert plan.slug == "5to-plan-2026-2028" and [t.name for t in plan.themes] == ["Educación"]


def test_bad_plan_form_comes_back_with_the_message_and_the_input(client, db, auth, admin):
    existing = ThemeFactory().plan
    auth.login_as(admin)
    response = client.post("/admin/plans/new", data={
        "slug": existing.slug, "title": "Título conservado", "period": "2026-2028"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ya existe un plan con esa dirección" in html and "Título conservado" in html


def test_status_change_outside_the_table_is_refused_on_the_form(client, db, auth, admin):
    plan = ThemeFactory().plan
    auth.login_as(admin)
    response = client.post(f"/admin/plans/{plan.slug}/edit", data={
        "title": plan.title, "period": plan.period, "intro": "", "status": "closed"})
    assert response.status_code == 400
    assert plan.status == "cocreation"
    moved = client.post(f"/admin/plans/{plan.slug}/edit", data={
        "title": plan.title, "period": plan.period, "intro": "", "status": "consultation"})
    assert moved.status_code == 303
    db.session.refresh(plan)
    assert plan.status == "consultation"


def test_overlapping_phase_is_refused_with_the_input_kept(client, db, auth, admin):
    plan = ThemeFactory().plan
    auth.login_as(admin)
    first = client.post(f"/admin/plans/{plan.slug}/phases", data={
        "name": "Mesas", "starts_on": "2026-07-01", "ends_on": "2026-07-31"})
    assert first.status_code == 303
    second = client.post(f"/admin/plans/{plan.slug}/phases", data={
        "name": "Fase cruzada", "starts_on": "2026-07-15", "ends_on": "2026-08-15"})
    html = second.get_data(as_text=True)
    assert second.status_code == 400
    assert "se cruzan con la fase" in html and 'value="Fase cruzada"' in html


def test_theme_windows_are_read_as_guatemala_time(client, db, auth, moderator):
    theme = ThemeFactory()
    auth.login_as(moderator)
    response = client.post(f"/admin/themes/{theme.id}/edit", data={
        "name": theme.name, "description": "", "position": "1",
        "proposals_open_at": "2026-07-01T08:00", "proposals_close_at": "2026-07-31T17:00",
        "voting_open_at": "", "voting_close_at": "2026-08-15T23:59",
        "max_open_proposals_per_user": "", "max_supports_per_user": "10"})
    assert response.status_code == 303
    db.session.refresh(theme)
    assert theme.proposals_open_at == datetime(2026, 7, 1, 14, 0, tzinfo=UTC)
    assert theme.voting_open_at is None
    assert theme.max_open_proposals_per_user is None and theme.max_supports_per_user == 10
    logged = db.session.scalar(select(ModerationAction).where(
        ModerationAction.action == "theme_updated"))
    assert logged.moderator_id == moderator.id and logged.public


def test_window_that_closes_before_it_opens_is_refused_on_the_form(client, db, auth, moderator):
    ThemeFactory()
    auth.login_as(moderator)
    response = client.post("/admin/themes/new", data={
        "name": "Temática al revés", "position": "2",
        "proposals_open_at": "2026-07-31T08:00", "proposals_close_at": "2026-07-01T08:00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "debe cerrar después de abrir" in html and 'value="Temática al revés"' in html
    assert db.session.scalar(select(Theme).where(Theme.name == "Temática al revés")) is None


@pytest.mark.parametrize("value", ["31/07/2026", "2026-13-01T08:00", "mañana"])
def test_malformed_dates_are_form_errors_never_a_500(client, db, auth, moderator, value):
    ThemeFactory()
    auth.login_as(moderator)
    response = client.post("/admin/themes/new", data={
        "name": "Temática", "position": "2", "voting_open_at": value})
    assert response.status_code == 400


def test_moderator_creates_a_theme_in_the_current_plan(client, db, auth, moderator):
    plan = ThemeFactory().plan
    auth.login_as(moderator)
    opens = (utcnow() - timedelta(days=1)).astimezone(services.GUATEMALA)
    response = client.post("/admin/themes/new", data={
        "name": "Justicia abierta", "position": "2",
        "proposals_open_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "max_open_proposals_per_user": "3"})
    assert response.status_code == 303
    theme = db.session.scalar(select(Theme).where(Theme.name == "Justicia abierta"))
    assert theme.plan_id == plan.id and theme.slug == "justicia-abierta"
    assert theme.proposals_open() and theme.max_open_proposals_per_user == 3


def test_dashboard_costs_the_same_number_of_queries_with_ten_times_the_proposals(
        client, db, auth, moderator):
    from tests.bench.test_query_counts import queries_for as count_queries

    theme = ThemeFactory()
    for status in ("open", "under_review", "accepted"):
        ProposalFactory(theme=theme, status=status)
    auth.login_as(moderator)
    few = count_queries(client, "/admin")
    for status in ("open", "under_review", "accepted", "rejected") * 5:
        ProposalFactory(theme=theme, status=status)
    ProposalFactory(theme=theme, hidden=True)
    assert count_queries(client, "/admin") == few
    assert "12 propuestas esperan una decisión" in client.get("/admin").get_data(as_text=True)
