"""The OGP minimum requirements (app/transparency/ogp.py): one test per rule and outcome."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Commitment, MesaRegistration, PlanPhase
from app.models.base import utcnow
from app.transparency import ogp
from tests.factories import (
    DocumentFactory,
    MesaFactory,
    PlanFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
    current_plan,
)

NOW = utcnow()
DAY = timedelta(days=1)


@pytest.fixture
def plan(db):
    """The current plan, its process begun a year ago (six-month rules can fail)."""
    plan = current_plan()
    plan.created_at = NOW - 365 * DAY
    _db.session.flush()
    return plan


@pytest.fixture
def young_plan(plan):
    plan.created_at = NOW - 10 * DAY
    _db.session.flush()
    return plan


def _meeting(kind: str, starts_at, plan=None, **values):
    plan = plan or current_plan()
    theme = ThemeFactory(plan=plan) if kind == "cocreation" else None
    return MesaFactory(kind=kind, theme=theme, plan=plan, title=f"Reunión {kind}",
                       starts_at=starts_at, **values)


def _attended(mesa, *sectors: str) -> None:
    for sector in sectors:
        _db.session.add(MesaRegistration(mesa_id=mesa.id, user_id=UserFactory(sector=sector).id,
                                         attended=True))
    _db.session.flush()


def _publish_timeline(plan, published_at) -> None:
    _db.session.add(PlanPhase(plan_id=plan.id, name="Co-creación", description="",
                              starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 1),
                              published_at=published_at))
    _db.session.flush()


def _urls(outcome) -> list[tuple[str, dict]]:
    return [(link.endpoint, link.values) for link in outcome.evidence]


# --- forum meeting in the last six months ----------------------------------------------------

def test_forum_meeting_is_met_by_a_meeting_in_the_last_six_months(plan):
    forum = _meeting("forum", NOW - 30 * DAY)
    outcome = ogp.forum_meeting(plan, NOW)
    assert outcome.status == ogp.MET
    assert ("repository.index", {"mesa": forum.id}) in _urls(outcome)


def test_forum_meeting_is_not_met_when_the_last_one_is_older_than_six_months(plan):
    _meeting("forum", NOW - 200 * DAY)
    assert ogp.forum_meeting(plan, NOW).status == ogp.NOT_MET


def test_a_cancelled_forum_meeting_does_not_count(plan):
    _meeting("forum", NOW - 30 * DAY, cancelled_at=NOW - 40 * DAY, cancel_reason="Lluvia")
    outcome = ogp.forum_meeting(plan, NOW)
    assert outcome.status == ogp.NOT_MET
    assert outcome.evidence == []


def test_forum_meeting_is_pending_while_the_process_is_younger_than_six_months(young_plan):
    upcoming = _meeting("forum", NOW + 5 * DAY)
    outcome = ogp.forum_meeting(young_plan, NOW)
    assert outcome.status == ogp.PENDING
    assert ("mesas.index", {}) in _urls(outcome)
    assert ("repository.index", {"mesa": upcoming.id}) in _urls(outcome)


# --- timeline published 14 days before the first co-creation mesa ------------------------

def test_timeline_is_met_when_published_14_days_before_the_first_mesa(plan):
    _meeting("cocreation", NOW - 10 * DAY)
    _meeting("cocreation", NOW - 40 * DAY, cancelled_at=NOW - 50 * DAY)  # never held
    _publish_timeline(plan, NOW - 25 * DAY)
    outcome = ogp.timeline_published(plan, NOW)
    assert outcome.status == ogp.MET
    assert ("plans.timeline", {}) in _urls(outcome)


def test_timeline_is_not_met_when_published_less_than_14_days_before(plan):
    _meeting("cocreation", NOW - 10 * DAY)
    _publish_timeline(plan, NOW - 20 * DAY)
    assert ogp.timeline_published(plan, NOW).status == ogp.NOT_MET


def test_timeline_is_not_met_when_never_published_and_the_deadline_passed(plan):
    _meeting("cocreation", NOW + 7 * DAY)
    assert ogp.timeline_published(plan, NOW).status == ogp.NOT_MET


def test_timeline_is_pending_while_it_can_still_be_published_in_time(plan):
    _meeting("cocreation", NOW + 30 * DAY)
    outcome = ogp.timeline_published(plan, NOW)
    assert outcome.status == ogp.PENDING
    assert (NOW + 16 * DAY).date().isoformat() in outcome.reason


def test_timeline_is_pending_without_a_co_creation_mesa(plan):
    _meeting("forum", NOW - 10 * DAY)
    _publish_timeline(plan, NOW - 1 * DAY)
    assert ogp.timeline_published(plan, NOW).status == ogp.PENDING


# --- repository updated in the last six months -------------------------------------------

def test_repository_is_met_by_a_document_filed_in_the_last_six_months(plan):
    document = DocumentFactory(plan=plan, created_at=NOW - 20 * DAY)
    outcome = ogp.repository_updated(plan, NOW)
    assert outcome.status == ogp.MET
    assert ("repository.download", {"document_id": document.id,
                                    "filename": document.original_filename}) in _urls(outcome)


def test_repository_is_not_met_when_the_last_document_is_older(plan):
    DocumentFactory(plan=plan, created_at=NOW - 200 * DAY)
    DocumentFactory(plan=plan, created_at=NOW - 5 * DAY, withdrawn_at=NOW - 4 * DAY,
                    withdrawn_reason="Publicado por error en el repositorio")
    assert ogp.repository_updated(plan, NOW).status == ogp.NOT_MET


def test_an_empty_repository_is_not_met_once_the_process_is_six_months_old(plan):
    outcome = ogp.repository_updated(plan, NOW)
    assert outcome.status == ogp.NOT_MET
    assert _urls(outcome) == [("repository.index", {})]


def test_an_empty_repository_is_pending_while_the_process_is_young(young_plan):
    assert ogp.repository_updated(young_plan, NOW).status == ogp.PENDING


# --- every proposal decided with a reasoned response -------------------------------------

def test_reasoned_response_is_met_when_every_proposal_is_decided_with_a_response(plan):
    theme = ThemeFactory(plan=plan)
    ProposalFactory(theme=theme, status="accepted", response="Se incorpora al plan.")
    ProposalFactory(theme=theme, status="rejected", response="Fuera del alcance del plan.")
    ProposalFactory(theme=theme, status="open", hidden=True)  # answered by its hiding reason
    other = ThemeFactory(plan=PlanFactory())
    ProposalFactory(theme=other, status="open")  # another plan's
    plan.status = "consultation"
    assert ogp.reasoned_response(plan, NOW).status == ogp.MET


def test_reasoned_response_is_pending_while_co_creation_goes_on(plan):
    waiting = ProposalFactory(theme=ThemeFactory(plan=plan), status="under_review")
    outcome = ogp.reasoned_response(plan, NOW)
    assert outcome.status == ogp.PENDING
    assert ("proposals.detail", {"proposal_id": waiting.id}) in _urls(outcome)


def test_reasoned_response_is_not_met_when_proposals_stay_undecided_after_co_creation(plan):
    ProposalFactory(theme=ThemeFactory(plan=plan), status="open")
    plan.status = "consultation"
    outcome = ogp.reasoned_response(plan, NOW)
    assert outcome.status == ogp.NOT_MET
    assert "1" in outcome.reason


def test_reasoned_response_is_not_met_by_a_decision_without_its_response(plan):
    silent = ProposalFactory(theme=ThemeFactory(plan=plan), status="rejected", response="  ")
    outcome = ogp.reasoned_response(plan, NOW)
    assert outcome.status == ogp.NOT_MET
    assert ("proposals.detail", {"proposal_id": silent.id}) in _urls(outcome)


# --- two implementation meetings with civil society --------------------------------------

def test_implementation_meetings_are_met_by_two_with_civil_society(plan):
    plan.status = "implementation"
    for days in (90, 30):
        _attended(_meeting("implementation", NOW - days * DAY), "sociedad_civil",
                  "sector_publico")
    outcome = ogp.implementation_meetings(plan, NOW)
    assert outcome.status == ogp.MET
    assert len([url for url in _urls(outcome) if url[0] == "repository.index"]) == 2


def test_implementation_meetings_are_not_met_when_the_plan_closes_short(plan):
    plan.status = "closed"
    _attended(_meeting("implementation", NOW - 90 * DAY), "sociedad_civil")
    _attended(_meeting("implementation", NOW - 30 * DAY), "sector_publico")  # no civil society
    _meeting("implementation", NOW - 20 * DAY)  # nobody marked as attended
    outcome = ogp.implementation_meetings(plan, NOW)
    assert outcome.status == ogp.NOT_MET
    assert "1" in outcome.reason


def test_implementation_meetings_are_pending_while_implementation_goes_on(plan):
    plan.status = "implementation"
    _attended(_meeting("implementation", NOW - 30 * DAY), "sociedad_civil")
    _attended(_meeting("implementation", NOW + 30 * DAY), "sociedad_civil")  # not held yet
    assert ogp.implementation_meetings(plan, NOW).status == ogp.PENDING


def test_implementation_meetings_are_pending_before_implementation(plan):
    assert plan.status == "cocreation"
    assert ogp.implementation_meetings(plan, NOW).status == ogp.PENDING


# --- the page and the API ------------------------------------------------------------------

def test_every_requirement_has_a_rule_and_a_stable_key():
    assert [item.key for item in ogp.REQUIREMENTS] == [
        "forum_meeting", "timeline_published", "repository_updated", "reasoned_response",
        "implementation_meetings"]


def test_the_page_shows_each_requirement_with_its_status_and_evidence(client, plan):
    forum = _meeting("forum", NOW - 30 * DAY)
    page = client.get("/transparency/ogp").get_data(as_text=True)
    for item in ogp.REQUIREMENTS:
        assert f'id="{item.key}"' in page
    assert "Cumplido" in page and "No cumplido" in page
    assert f'href="/repository?mesa={forum.id}"' in page
    assert f'href="/mesas#mesa-{forum.id}"' in page


def test_the_page_evaluates_another_plan_by_slug_and_404s_for_an_unknown_one(client, plan):
    older = PlanFactory(slug="plan-2016", status="closed")
    response = client.get("/transparency/ogp?plan=plan-2016")
    assert response.status_code == 200
    assert older.title in response.get_data(as_text=True)
    assert client.get("/transparency/ogp?plan=no-existe").status_code == 404


def test_the_api_lists_each_requirement_with_absolute_evidence_urls(client, app, plan):
    forum = _meeting("forum", NOW - 30 * DAY)
    body = client.get("/api/v1/ogp-requirements").get_json()
    assert body["plan"] == plan.slug
    items = {item["key"]: item for item in body["items"]}
    assert list(items) == [item.key for item in ogp.REQUIREMENTS]
    assert items["forum_meeting"]["status"] == "met"
    base = app.config["BASE_URL"].rstrip("/")
    assert f"{base}/repository?mesa={forum.id}" in items["forum_meeting"]["evidence"]
    assert all(url.startswith(base + "/") for item in body["items"] for url in item["evidence"])
    assert client.get("/api/v1/ogp-requirements?plan=no-existe").status_code == 404


def test_the_api_answer_matches_its_openapi_schema(client, plan):
    from jsonschema import Draft202012Validator

    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["paths"]["/api/v1/ogp-requirements"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    _meeting("forum", NOW - 30 * DAY)
    body = client.get("/api/v1/ogp-requirements").get_json()
    Draft202012Validator({"components": spec["components"], **schema}).validate(body)


def test_the_page_costs_the_same_queries_with_more_records(client, plan):
    from tests.bench.test_query_counts import queries_for

    plan.status = "implementation"
    _attended(_meeting("implementation", NOW - 30 * DAY), "sociedad_civil")
    _meeting("forum", NOW - 30 * DAY)
    ProposalFactory(theme=ThemeFactory(plan=plan), status="open")
    few = queries_for(client, "/transparency/ogp"), queries_for(client, "/api/v1/ogp-requirements")
    for days in range(1, 6):
        _attended(_meeting("implementation", NOW - days * 10 * DAY), "sociedad_civil")
        _meeting("forum", NOW - days * DAY)
        DocumentFactory(plan=plan)
        ProposalFactory(theme=ThemeFactory(plan=plan), status="open")
    many = queries_for(client, "/transparency/ogp"), queries_for(client, "/api/v1/ogp-requirements")
    assert many == few


def test_the_evaluation_is_kept_per_plan_and_language_for_the_transparency_cache_time(
        app, client, plan):
    from app import cache
    from tests.bench.test_query_counts import queries_for

    _meeting("forum", NOW - 30 * DAY)
    cold = queries_for(client, "/api/v1/ogp-requirements")
    app.config["TRANSPARENCY_CACHE_SECONDS"] = 300
    cache.clear()
    try:
        first = client.get("/api/v1/ogp-requirements").get_json()
        warm = queries_for(client, "/api/v1/ogp-requirements")
        assert warm < cold
        assert client.get("/api/v1/ogp-requirements").get_json() == first
        english = client.get("/api/v1/ogp-requirements",
                             headers={"Accept-Language": "en"}).get_json()
        spanish = {item["key"]: item["reason"] for item in first["items"]}
        assert {item["key"]: item["reason"] for item in english["items"]} != spanish
    finally:
        app.config["TRANSPARENCY_CACHE_SECONDS"] = 0
        cache.clear()


# --- every consultation comment given a reasoned response (part of reasoned_response) -----

def _consulted(plan, **values):
    from tests.consultation.conftest import add_comment, add_commitment

    number = 1 + _db.session.scalar(select(func.count()).select_from(Commitment)
                                    .where(Commitment.plan_id == plan.id))
    commitment = add_commitment(ThemeFactory(plan=plan), number, "Compras abiertas")
    commitment.source_proposals[0].response = "Se incorpora al plan."
    return add_comment(commitment, UserFactory(), **values)


def test_consultation_comments_without_a_response_are_pending_during_the_consultation(plan):
    plan.status = "consultation"
    _consulted(plan)
    outcome = ogp.reasoned_response(plan, NOW)
    assert outcome.status == ogp.PENDING
    assert "1 comentario de la consulta espera respuesta." in outcome.reason
    assert ("consultation.report", {"disposition": "pending"}) in _urls(outcome)


def test_consultation_comments_without_a_response_are_not_met_once_the_plan_is_adopted(plan):
    plan.status = "adopted"
    _consulted(plan)
    assert ogp.reasoned_response(plan, NOW).status == ogp.NOT_MET


def test_reasoned_response_is_met_when_every_consultation_comment_has_its_disposition(plan):
    plan.status = "adopted"
    _consulted(plan, disposition="incorporated",
               disposition_response="Se incorporó como hito del compromiso.")
    _consulted(plan, hidden=True, hidden_reason="Spam publicitario repetido.")
    outcome = ogp.reasoned_response(plan, NOW)
    assert outcome.status == ogp.MET
    assert ("consultation.report", {}) in _urls(outcome)
