"""Public plan pages: /plans, /plans/<slug>, /timeline, the current plan on every page,
and the 409 answers of an archived plan."""
from __future__ import annotations

from datetime import date

import pytest

from app.plans import services
from tests.factories import PlanFactory, ProposalFactory, ThemeFactory, UserFactory


def test_plans_page_lists_newest_first_and_marks_the_current(client, db, admin):
    ThemeFactory()  # the current plan
    old = services.current_plan()
    new = services.create_plan(admin, slug="quinto", title="Quinto Plan", period="2026-2028")
    html = client.get("/plans").get_data(as_text=True)
    assert html.index("Quinto Plan") < html.index(old.title + " " + old.period)
    assert "Plan actual" in html and "Archivado" in html
    assert f"/plans/{new.slug}" in html


@pytest.mark.parametrize("path", ["/", "/themes", "/proposals", "/plan", "/mesas",
                                  "/transparency"])
def test_every_public_page_shows_the_current_plan(client, db, admin, path):
    ThemeFactory()
    services.create_plan(admin, slug="quinto-plan", title="Quinto Plan Nacional",
                         period="2026-2028")
    html = client.get(path).get_data(as_text=True)
    assert "Quinto Plan Nacional 2026-2028" in html
    assert 'href="/plans/quinto-plan"' in html


def test_current_plan_pages_list_only_the_current_plans_themes_and_proposals(client, db, admin):
    old_theme = ThemeFactory(name="Temática del cuarto plan")
    ProposalFactory(theme=old_theme, title="Propuesta del cuarto plan")
    services.create_plan(admin, slug="quinto", title="Quinto", period="2026-2028")
    new_theme = ThemeFactory(name="Temática del quinto plan")
    ProposalFactory(theme=new_theme, title="Propuesta del quinto plan")
    themes = client.get("/themes").get_data(as_text=True)
    proposals = client.get("/proposals").get_data(as_text=True)
    assert "Temática del quinto plan" in themes and "Temática del cuarto plan" not in themes
    assert "Propuesta del quinto plan" in proposals
    assert "Propuesta del cuarto plan" not in proposals


def test_archived_plan_stays_readable(client, db, admin):
    theme = ThemeFactory(name="Educación abierta")
    proposal = ProposalFactory(theme=theme, title="Becas publicadas")
    old = theme.plan
    services.create_plan(admin, slug="quinto", title="Quinto", period="2026-2028")
    plan_page = client.get(f"/plans/{old.slug}")
    assert plan_page.status_code == 200
    assert "Educación abierta" in plan_page.get_data(as_text=True)
    assert "archivado" in plan_page.get_data(as_text=True)
    theme_page = client.get(f"/themes/{theme.slug}").get_data(as_text=True)
    assert "Becas publicadas" in theme_page and "plan archivado" in theme_page
    assert client.get(f"/proposals/{proposal.id}").status_code == 200


def test_archived_plan_answers_409_to_proposals_supports_and_comments(client, db, auth, admin):
    theme = ThemeFactory()
    proposal = ProposalFactory(theme=theme)
    services.create_plan(admin, slug="quinto", title="Quinto", period="2026-2028")
    db.session.flush()
    auth.login_as(UserFactory())
    assert client.post(f"/proposals/{proposal.id}/vote").status_code == 409
    assert client.post(f"/proposals/{proposal.id}/comments",
                       data={"body": "Un comentario tardío."}).status_code == 409
    created = client.post("/proposals/new", data={
        "theme": theme.slug, "title": "Nueva", "problem": "Un problema.",
        "description": "Una descripción."})
    assert created.status_code == 409


def test_unknown_plan_is_404(client, db):
    assert client.get("/plans/no-existe").status_code == 404
    assert client.get("/plans/" + "x" * 300).status_code == 404


def test_timeline_shows_phases_with_dates_and_when_published(client, db, admin):
    plan = ThemeFactory().plan
    services.add_phase(admin, plan, name="Mesas técnicas de co-creación",
                       starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 31),
                       description="Doce mesas.")
    html = client.get("/timeline").get_data(as_text=True)
    assert "Mesas técnicas de co-creación" in html and "Doce mesas." in html
    assert 'datetime="2026-07-01"' in html and "Publicada el" in html


def test_timeline_without_phases_says_so(client, db):
    PlanFactory(is_current=True)
    html = client.get("/timeline").get_data(as_text=True)
    assert "todavía no se ha publicado" in html
