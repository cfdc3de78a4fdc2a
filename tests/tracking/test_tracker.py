"""/tracking, /tracking.csv, /api/v1/tracking, the commitment API and the plan documents
show the same progress and completion; overdue milestones are marked and listed."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from app.extensions import db as _db
from app.tracking.services import post_update
from tests.bench.test_query_counts import queries_for
from tests.factories import PlanFactory, ThemeFactory
from tests.tracking.conftest import add_commitment


def _report(tracked, commitment, progress, statuses):
    return post_update(tracked.moderator, commitment, "Avance.", progress, "",
                       ["https://ejemplo.gt/evidencia"],
                       {str(m.id): s for m, s in zip(commitment.milestones, statuses,
                                                     strict=True)})


@pytest.fixture
def board(tracked):
    """Three commitments: substantial (2 of 3), limited (1 of 3 with 10 %), not started;
    and a plan in co-creation whose commitment the tracker leaves out."""
    first = tracked.commitment
    _report(tracked, first, 70, ("completed", "completed", "in_progress"))
    second = add_commitment(tracked.theme, 2, "Presupuesto ciudadano",
                            institution="Secretaría de Planificación")
    _report(tracked, second, 10, ("completed", "delayed", "not_started"))
    third = add_commitment(tracked.theme, 3, "Portal de datos")
    drafting = ThemeFactory(plan=PlanFactory(status="cocreation"))
    add_commitment(drafting, 1, "Un borrador sin seguimiento")
    _db.session.flush()
    return tracked, (first, second, third)


def test_the_tracker_lists_tracked_commitments_with_their_completion(client, db, board):
    tracked, _ = board
    page = client.get("/tracking").get_data(as_text=True)
    assert "Presupuesto ciudadano" in page and "Portal de datos" in page
    assert "Un borrador sin seguimiento" not in page
    assert page.count('class="badge completion-substantial"') == 1
    assert page.count('class="badge completion-limited"') == 1
    assert page.count('class="badge completion-not_started"') == 1
    assert "<svg" in page and 'role="img"' in page and "<desc" in page
    assert "<caption" in page and "Secretaría de Planificación" in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]


def test_the_tracker_narrows_to_one_plan_and_refuses_unknown_ones(client, db, board):
    tracked, _ = board
    other = ThemeFactory(plan=PlanFactory(status="closed"))
    add_commitment(other, 1, "Compromiso del plan cerrado")
    everything = client.get("/tracking").get_data(as_text=True)
    assert "Compromiso del plan cerrado" in everything
    narrowed = client.get(f"/tracking?plan={tracked.plan.slug}").get_data(as_text=True)
    assert "Compromiso del plan cerrado" not in narrowed and "Portal de datos" in narrowed
    assert client.get("/tracking?plan=no-existe").status_code == 404


def test_the_csv_has_the_mark_the_header_and_one_row_per_commitment(client, db, board):
    tracked, (first, second, third) = board
    response = client.get(f"/tracking.csv?plan={tracked.plan.slug}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["number"] for row in rows] == ["1", "2", "3"]
    assert (rows[0]["progress"], rows[0]["completion"], rows[0]["milestones_done"],
            rows[0]["milestones_total"]) == ("70", "substantial", "2", "3")
    assert rows[1]["completion"] == "limited" and rows[2]["completion"] == "not_started"
    assert rows[0]["last_update_at"] and rows[2]["last_update_at"] == ""


def test_csv_cells_never_run_as_formulas(client, db, tracked):
    add_commitment(tracked.theme, 2, "=HYPERLINK(\"http://mal.example\")")
    text = client.get("/tracking.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text


def test_the_api_gives_the_same_items(client, db, board, validate):
    tracked, (first, second, third) = board
    response = client.get(f"/api/v1/tracking?plan={tracked.plan.slug}")
    validate(response, "/api/v1/tracking")
    body = response.get_json()
    first_item = body["items"][0]
    assert {key: first_item[key] for key in (
        "commitment_id", "plan", "number", "progress", "completion", "milestones_done",
        "milestones_total")} == {"commitment_id": first.id, "plan": tracked.plan.slug,
                                 "number": 1, "progress": 70, "completion": "substantial",
                                 "milestones_done": 2, "milestones_total": 3}
    assert client.get("/api/v1/tracking?plan=no-existe").status_code == 404


def test_the_commitment_api_carries_progress_completion_statuses_and_updates(
        client, db, board, validate):
    tracked, (first, second, third) = board
    response = client.get(f"/api/v1/plan/commitments/{second.id}")
    validate(response, "/api/v1/plan/commitments/{id}")
    body = response.get_json()
    assert (body["progress"], body["completion"]) == (10, "limited")
    assert [m["status"] for m in body["milestones"]] == ["completed", "delayed", "not_started"]
    assert [u["progress"] for u in body["updates"]] == [10]
    assert body["updates"][0]["evidence_urls"] == ["https://ejemplo.gt/evidencia"]


def test_plan_documents_carry_progress_and_completion(client, db, board):
    tracked, _ = board
    from app.plans.services import make_current

    make_current(tracked.plan)
    plan = client.get("/api/v1/plan").get_json()
    assert [(c["id"], c["progress"], c["completion"]) for c in plan["commitments"]][:2] == [
        (board[1][0].id, 70, "substantial"), (board[1][1].id, 10, "limited")]
    markdown = client.get("/plan/export.md").get_data(as_text=True)
    assert "70 % (cumplimiento: sustancial)" in markdown
    rows = list(csv.DictReader(io.StringIO(
        client.get("/plan/export.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert (rows[0]["progress"], rows[0]["completion"]) == ("70", "substantial")


def test_overdue_milestones_are_marked_and_listed_on_the_admin_dashboard(
        client, auth, db, tracked):
    late = tracked.commitment.milestones[0]
    late.end_date = date(2020, 1, 31)
    done = tracked.commitment.milestones[1]
    done.end_date, done.status = date(2020, 1, 31), "completed"
    db.session.flush()
    page = client.get(f"/plan/commitments/{tracked.commitment.id}").get_data(as_text=True)
    assert page.count("Vencido") == 1
    assert 'class="badge badge-overdue">1<' in client.get("/tracking").get_data(as_text=True)
    from app.plans.services import make_current

    make_current(tracked.plan)
    auth.login_as(tracked.moderator)
    board = client.get("/admin").get_data(as_text=True)
    assert "Hitos vencidos" in board and late.description in board
    assert "(1)" in board.split("Hitos vencidos", 1)[1][:60]


@pytest.mark.parametrize("path", ["/tracking", "/tracking.csv", "/api/v1/tracking"])
def test_the_tracker_costs_the_same_queries_with_more_commitments(client, db, tracked, path):
    for number in range(2, 4):
        add_commitment(tracked.theme, number)
    small = queries_for(client, path)
    for number in range(4, 12):
        commitment = add_commitment(tracked.theme, number)
        _report(tracked, commitment, 50, ("completed", "in_progress", "not_started"))
    assert queries_for(client, path) == small
    assert small <= 5


def test_the_commitment_page_costs_the_same_queries_with_more_updates(client, auth, db,
                                                                      tracked):
    url = f"/plan/commitments/{tracked.commitment.id}"
    _report(tracked, tracked.commitment, 10, ("in_progress", "not_started", "not_started"))
    auth.login_as(tracked.participant)
    small = queries_for(client, url)
    for progress in range(20, 80, 10):
        _report(tracked, tracked.commitment, progress,
                ("completed", "in_progress", "not_started"))
    assert queries_for(client, url) == small
