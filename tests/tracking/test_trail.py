"""Progress updates join the commitment's trail (issue 18's traceability, issue 17's data)."""
from __future__ import annotations

from app.extensions import db as _db
from app.traceability.trail import trail_of
from app.tracking import services
from tests.bench.test_query_counts import counting_queries


def _post(tracked, progress: int, summary: str = "Se publicó el portal."):
    services.post_update(tracked.steward, tracked.commitment, summary, progress,
                         evidence_urls=["https://datos.example.gt/compras"])
    _db.session.flush()


def _section(commitment):
    return {section.key: section for section in trail_of(commitment).sections}.get(
        "avances-reportados")


def test_a_commitment_without_updates_has_no_progress_section_in_its_trail(db, tracked):
    assert _section(tracked.commitment) is None


def test_the_trail_lists_the_newest_updates_first_and_counts_them_all(db, tracked):
    for progress in (10, 20, 30):
        _post(tracked, progress)
    section = _section(tracked.commitment)
    assert [update.progress for update in section.items] == [30, 20, 10]
    assert section.extra["total"] == 3


def test_the_trail_page_links_each_update_to_its_place_on_the_commitment_page(
        client, db, tracked):
    _post(tracked, 45)
    update_id = _section(tracked.commitment).items[0].id
    html = client.get(f"/plan/commitments/{tracked.commitment.id}/trail").get_data(
        as_text=True)
    assert f"/plan/commitments/{tracked.commitment.id}#avance-{update_id}" in html
    assert "45 %" in html and tracked.steward.display_name in html


def test_the_progress_section_costs_the_same_queries_with_three_times_the_updates(
        db, tracked):
    def cost() -> int:
        _db.session.expire_all()
        trail_of(tracked.commitment)
        with counting_queries() as statements:
            trail_of(tracked.commitment)
        return len(statements)

    _post(tracked, 10)
    few = cost()
    for progress in (20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 100):
        _post(tracked, progress)
    assert cost() == few


def test_a_participants_comments_on_updates_show_on_their_participation_page(
        client, auth, db, tracked):
    _post(tracked, 60)
    update = _section(tracked.commitment).items[0]
    comment = services.comment_on_update(tracked.participant, update,
                                         "¿Dónde está el conjunto de datos?")
    _db.session.commit()
    auth.login_as(tracked.participant)
    html = client.get("/account/participation").get_data(as_text=True)
    assert "¿Dónde está el conjunto de datos?" in html
    assert f"/plan/commitments/{tracked.commitment.id}#comentario-{comment.id}" in html
    assert "60 %" in html
