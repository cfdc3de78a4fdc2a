"""Plan cycles: one current plan, the next plan, status transitions, the timeline, the
archived plans that no longer take participation."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.errors import Conflict, InvalidInput
from app.models import ActionPlan, ModerationAction
from app.plans import services
from tests.factories import PlanFactory, ProposalFactory, ThemeFactory, UserFactory


def test_creating_a_plan_makes_it_current_and_archives_the_previous(db, admin):
    old = ThemeFactory().plan
    new = services.create_plan(admin, slug="5to-plan-2026-2028", title="Quinto Plan",
                               period="2026-2028")
    assert services.current_plan() == new
    assert new.status == "cocreation" and new.is_current
    assert not old.is_current and old.is_archived
    assert not old.accepts_participation() and new.accepts_participation()


def test_the_schema_refuses_a_second_current_plan(db):
    PlanFactory(is_current=True)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            PlanFactory(is_current=True)


def test_copy_themes_copies_names_and_limits_with_closed_windows(db, admin):
    theme = ThemeFactory(name="Educación", max_supports_per_user=3)
    new = services.create_plan(admin, slug="quinto", title="Quinto Plan", period="2026-2028",
                               copy_themes=True)
    (copy,) = new.themes
    assert copy.name == "Educación" and copy.max_supports_per_user == 3
    assert copy.slug != theme.slug and copy.slug.startswith(theme.slug)
    assert not copy.proposals_open() and not copy.voting_open()


def test_plan_slug_must_be_new_and_well_formed(db, admin):
    PlanFactory(slug="quinto")
    for slug in ("quinto", "Con Espacios", ""):
        with pytest.raises(InvalidInput) as error:
            services.create_plan(admin, slug=slug, title="Quinto", period="2026-2028")
        assert error.value.field == "slug"


@pytest.mark.parametrize(("start", "target", "allowed"), [
    ("cocreation", "consultation", True),
    ("consultation", "adopted", True),
    ("adopted", "implementation", True),
    ("implementation", "closed", True),
    ("cocreation", "implementation", False),
    ("cocreation", "closed", False),
    ("closed", "cocreation", False),
])
def test_status_moves_only_along_the_transitions_table(db, admin, start, target, allowed):
    plan = PlanFactory(status=start)
    if allowed:
        services.update_plan(admin, plan, title=plan.title, period=plan.period, intro="",
                             status=target)
        assert plan.status == target
    else:
        with pytest.raises(InvalidInput) as error:
            services.update_plan(admin, plan, title=plan.title, period=plan.period, intro="",
                                 status=target)
        assert error.value.field == "status" and plan.status == start


def test_phases_that_overlap_are_refused(db, admin):
    plan = PlanFactory()
    services.add_phase(admin, plan, name="Mesas técnicas", starts_on=date(2026, 7, 1),
                       ends_on=date(2026, 7, 31))
    with pytest.raises(InvalidInput) as error:
        services.add_phase(admin, plan, name="Consulta", starts_on=date(2026, 7, 31),
                           ends_on=date(2026, 8, 15))
    assert error.value.field == "starts_on"
    services.add_phase(admin, plan, name="Consulta", starts_on=date(2026, 8, 1),
                       ends_on=date(2026, 8, 15))
    assert [phase.name for phase in services.timeline(plan)] == ["Mesas técnicas", "Consulta"]


def test_a_phase_cannot_end_before_it_starts(db, admin):
    with pytest.raises(InvalidInput) as error:
        services.add_phase(admin, PlanFactory(), name="Al revés", starts_on=date(2026, 7, 2),
                           ends_on=date(2026, 7, 1))
    assert error.value.field == "ends_on"


def test_published_phase_records_when_it_was_published(db, admin):
    phase = services.add_phase(admin, PlanFactory(), name="Co-creación",
                               starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 31))
    assert phase.published_at is not None


def test_every_administrative_change_is_logged_publicly_with_who(db, admin):
    plan = services.create_plan(admin, slug="quinto", title="Quinto", period="2026-2028")
    services.update_plan(admin, plan, title="Quinto Plan", period="2026-2028", intro="",
                         status="consultation")
    services.add_phase(admin, plan, name="Consulta", starts_on=date(2026, 7, 1),
                       ends_on=date(2026, 7, 2))
    rows = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)).all()
    assert [row.action for row in rows] == [
        "plan_created", "plan_status", "plan_updated", "phase_published"]
    assert all(row.public and row.moderator_id == admin.id and row.created_at for row in rows)


def test_archived_plan_refuses_new_proposals_supports_and_comments(db, admin):
    from app.comments.services import post_comment
    from app.proposals.services import submit_proposal
    from app.votes.services import toggle_support

    old_theme = ThemeFactory()
    proposal = ProposalFactory(theme=old_theme)
    services.create_plan(admin, slug="quinto", title="Quinto", period="2026-2028")
    person = UserFactory()
    with pytest.raises(Conflict):
        submit_proposal(person, old_theme, {"title": "Nueva", "problem": "P",
                                            "description": "D"})
    with pytest.raises(Conflict):
        toggle_support(person, proposal)
    with pytest.raises(Conflict):
        post_comment(person, proposal, "Un comentario tardío.")


def test_only_one_plan_is_current_after_several_cycles(db, admin):
    for number in range(3):
        services.create_plan(admin, slug=f"plan-ciclo-{number}", title=f"Plan {number}",
                             period=f"20{30 + 2 * number}")
    current = db.session.scalars(
        select(ActionPlan).where(ActionPlan.is_current.is_(True))).all()
    assert [plan.slug for plan in current] == ["plan-ciclo-2"]
