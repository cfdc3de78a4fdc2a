"""Open data on plan cycles: /api/v1/plans, /api/v1/themes?plan=, /api/v1/timeline, each
matching its OpenAPI schema."""
from __future__ import annotations

from datetime import date

from app.plans import services
from tests.factories import ProposalFactory, ThemeFactory, UserFactory


def _next_plan():
    admin = UserFactory(role="admin")
    return services.create_plan(admin, slug="quinto", title="Quinto Plan", period="2026-2028",
                                copy_themes=True)


def test_plans_lists_every_plan_newest_first_with_the_current_one(client, db, validate):
    old = ThemeFactory().plan
    _next_plan()
    body = validate(client.get("/api/v1/plans"), "/api/v1/plans")
    assert body["items"] == [
        {"slug": "quinto", "title": "Quinto Plan", "period": "2026-2028",
         "status": "cocreation", "current": True},
        {"slug": old.slug, "title": old.title, "period": old.period, "status": old.status,
         "current": False}]


def test_themes_default_to_the_current_plan_and_take_any_plan(client, db, validate):
    old_theme = ThemeFactory()
    ProposalFactory(theme=old_theme)
    new = _next_plan()
    current = validate(client.get("/api/v1/themes"), "/api/v1/themes")
    assert [item["slug"] for item in current["items"]] == [new.themes[0].slug]
    assert current["items"][0]["proposal_count"] == 0
    old = validate(client.get(f"/api/v1/themes?plan={old_theme.plan.slug}"), "/api/v1/themes")
    assert [(i["slug"], i["proposal_count"]) for i in old["items"]] == [(old_theme.slug, 1)]


def test_themes_of_an_unknown_plan_is_a_json_404(client, db):
    ThemeFactory()
    response = client.get("/api/v1/themes?plan=no-existe")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_timeline_lists_the_published_phases(client, db, validate):
    plan = ThemeFactory().plan
    services.add_phase(UserFactory(role="admin"), plan, name="Co-creación",
                       starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 31))
    body = validate(client.get("/api/v1/timeline"), "/api/v1/timeline")
    (phase,) = body["items"]
    assert (phase["name"], phase["starts_on"], phase["ends_on"]) == (
        "Co-creación", "2026-07-01", "2026-07-31")
    assert phase["published_at"].endswith("+00:00")
