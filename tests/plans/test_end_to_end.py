"""The technical table runs the next cycle from the browser, without a developer:
the 5th plan with copied themes, its timeline, open windows, a second-round mesa, while
the 4th plan stays readable; the API lists both plans."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.models import Mesa, ModerationAction
from app.models.base import utcnow
from app.plans import services
from tests.factories import ModeratorFactory, ProposalFactory, UserFactory


def _local(value) -> str:
    return value.astimezone(services.GUATEMALA).strftime("%Y-%m-%dT%H:%M")


def test_technical_table_starts_the_fifth_plan_from_the_browser(client, seeded, auth):
    from app.cli.reference import PLAN_SLUG

    fourth = services.current_plan()
    assert fourth.slug == PLAN_SLUG
    old_theme = fourth.themes[1]
    old_proposal = ProposalFactory(theme=old_theme, title="Becas con datos abiertos")

    admin = auth.login_as(UserFactory(role="admin", sector="sector_publico"))
    created = client.post("/admin/plans/new", data={
        "slug": "5to-plan-2026-2028", "period": "2026-2028", "copy_themes": "y",
        "title": "Quinto Plan de Acción Nacional de Gobierno Abierto"})
    assert created.status_code == 303
    fifth = services.current_plan()
    assert fifth.slug == "5to-plan-2026-2028" and len(fifth.themes) == 12

    today = services.local_today()
    for offset, name in ((0, "Mesas técnicas de co-creación"), (40, "Consulta pública")):
        published = client.post(f"/admin/plans/{fifth.slug}/phases", data={
            "name": name, "starts_on": (today + timedelta(days=offset)).isoformat(),
            "ends_on": (today + timedelta(days=offset + 30)).isoformat()})
        assert published.status_code == 303
    timeline = client.get("/timeline").get_data(as_text=True)
    assert "Mesas técnicas de co-creación" in timeline and "Consulta pública" in timeline

    theme = fifth.themes[1]
    now = utcnow()
    opened = client.post(f"/admin/themes/{theme.id}/edit", data={
        "name": theme.name, "description": theme.description, "position": theme.position,
        "proposals_open_at": _local(now - timedelta(hours=1)),
        "proposals_close_at": _local(now + timedelta(days=30)),
        "voting_open_at": _local(now - timedelta(hours=1)),
        "voting_close_at": _local(now + timedelta(days=45)),
        "max_open_proposals_per_user": "5", "max_supports_per_user": ""})
    assert opened.status_code == 303

    auth.logout()
    auth.login_as(ModeratorFactory())
    start = now + timedelta(days=14)
    convened = client.post("/mesas/new", data={
        "kind": "cocreation", "theme": theme.slug, "title": "Segunda ronda",
        "starts_at": _local(start), "ends_at": _local(start + timedelta(hours=7)),
        "place": "Ciudad de Guatemala", "online_url": "", "capacity": "80"})
    assert convened.status_code == 303
    second_round = seeded.session.scalar(
        select(Mesa).where(Mesa.theme_id == theme.id))
    assert second_round.title == "Segunda ronda" and second_round.plan_id == fifth.id

    theme_page = client.get(f"/themes/{theme.slug}").get_data(as_text=True)
    assert "Segunda ronda" in theme_page and theme_page.count("cierra el") == 2

    # A participant proposes in the 5th plan; the 4th plan takes nothing new but reads.
    auth.logout()
    auth.login_as(UserFactory())
    proposed = client.post("/proposals/new", data={
        "theme": theme.slug, "title": "Presupuesto abierto municipal",
        "problem": "No se publica.", "description": "Publicarlo cada mes."})
    assert proposed.status_code in (302, 303)
    assert client.post(f"/proposals/{old_proposal.id}/vote").status_code == 409
    old_page = client.get(f"/plans/{fourth.slug}").get_data(as_text=True)
    assert old_theme.name in old_page and "archivado" in old_page
    assert "Becas con datos abiertos" in client.get(f"/themes/{old_theme.slug}").get_data(
        as_text=True)

    plans = client.get("/api/v1/plans").get_json()["items"]
    assert [(p["slug"], p["current"]) for p in plans] == [
        ("5to-plan-2026-2028", True), (fourth.slug, False), ("3er-plan-2016-2018", False)]
    old_themes = client.get(f"/api/v1/themes?plan={fourth.slug}").get_json()["items"]
    assert any(item["slug"] == old_theme.slug and item["proposal_count"] == 1
               for item in old_themes)
    assert len(client.get("/api/v1/timeline").get_json()["items"]) == 2

    log = seeded.session.scalars(select(ModerationAction.action)).all()
    assert {"plan_created", "phase_published", "theme_updated", "mesa_created"} <= set(log)
    assert second_round.sequence == 0 and admin.is_admin
