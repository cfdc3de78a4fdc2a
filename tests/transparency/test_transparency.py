"""/transparency: the public log (never the flaggers) and participation statistics."""
from __future__ import annotations

import csv
import io

from sqlalchemy import event

from app.extensions import db as _db
from app.models import Comment
from tests.factories import (
    CommentFactory,
    EstablishedUserFactory,
    ModeratorFactory,
    ProposalFactory,
    UserFactory,
)
from tests.transparency.conftest import support

RESPONSE = "No se incluye: la propuesta ya forma parte de un compromiso del plan anterior."


def _flag(client, auth, user, url):
    auth.login_as(user)
    assert client.post(url, data={"reason": "offensive", "details": "detalle secreto"}
                       ).status_code == 303
    auth.logout()


def test_log_shows_decisions_and_hides_with_reasons_but_never_flaggers(client, auth, db,
                                                                        outbox):
    proposal = ProposalFactory(title="Propuesta decidida")
    flagged = ProposalFactory()
    flaggers = [EstablishedUserFactory(display_name=f"Denunciante Secreto {n}",
                            email=f"denunciante{n}@ejemplo.org") for n in range(3)]
    for user in flaggers:
        _flag(client, auth, user, f"/proposals/{flagged.id}/flag")
    moderator = ModeratorFactory(display_name="Moderadora Pública")
    auth.login_as(moderator)
    client.post(f"/moderation/proposals/{proposal.id}/decision",
                data={"status": "rejected", "response": RESPONSE})
    comment = CommentFactory()
    client.post(f"/moderation/comments/{comment.id}/hide", data={"reason": "Insultos"})
    auth.logout()

    page = client.get("/transparency").get_data(as_text=True)
    assert "Propuesta decidida" in page and RESPONSE in page
    assert "Insultos" in page
    assert "ocultado automáticamente" in page
    for user in flaggers:
        assert user.display_name not in page
        assert user.email not in page
    assert "detalle secreto" not in page


def test_participation_by_sector_and_theme(client, db):
    academic = UserFactory(sector="academia")
    citizen = UserFactory(sector="ciudadania")
    proposal = ProposalFactory(author=academic)
    support(proposal, citizen)
    CommentFactory(proposal_id=proposal.id, author_id=citizen.id)
    CommentFactory(proposal_id=proposal.id, author_id=citizen.id, hidden=True)

    response = client.get("/transparency/participation.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = {(r["dimension"], r["key"]): r
            for r in csv.DictReader(io.StringIO(
                response.get_data(as_text=True).removeprefix("\ufeff")))}
    assert rows[("sector", "academia")]["proposals"] == "1"
    assert rows[("sector", "ciudadania")]["supports"] == "1"
    assert rows[("sector", "ciudadania")]["comments"] == "1"
    theme = rows[("theme", proposal.theme.slug)]
    assert (theme["participants"], theme["proposals"], theme["supports"], theme["comments"]) == (
        "2", "1", "1", "1")


def test_chart_is_server_rendered_svg_without_style_attributes(client, db):
    ProposalFactory()
    page = client.get("/transparency").get_data(as_text=True)
    assert "<svg" in page and "<rect" in page
    assert "style=" not in page


def test_transparency_costs_a_constant_number_of_queries(client, auth, db):
    def count():
        statements = []

        def record(*args):
            statements.append(args[2])

        event.listen(_db.engine, "before_cursor_execute", record)
        try:
            assert client.get("/transparency").status_code == 200
        finally:
            event.remove(_db.engine, "before_cursor_execute", record)
        return len(statements)

    moderator = ModeratorFactory()
    auth.login_as(moderator)
    client.post(f"/moderation/proposals/{ProposalFactory().id}/decision",
                data={"status": "rejected", "response": RESPONSE})
    auth.logout()
    few = count()
    auth.login_as(moderator)
    for _ in range(5):
        client.post(f"/moderation/proposals/{ProposalFactory().id}/decision",
                    data={"status": "rejected", "response": RESPONSE})
        client.post(f"/moderation/comments/{CommentFactory().id}/hide", data={"reason": "Spam"})
    auth.logout()
    assert count() == few
    assert _db.session.query(Comment).count() == 5


def test_every_decision_stays_reachable_page_after_page(client, db, monkeypatch):
    from app.models import ModerationAction
    from app.transparency import queries

    monkeypatch.setattr(queries.public_log, "__defaults__", (1, 3))
    proposals = [ProposalFactory() for _ in range(7)]
    for proposal in proposals:
        _db.session.add(ModerationAction(action="hide", target_type="proposal",
                                         target_id=proposal.id, reason=f"Motivo {proposal.id}"))
    _db.session.flush()
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/transparency?page={page}").get_data(as_text=True)
        seen += [p.id for p in proposals if f"Motivo {p.id}<" in html]
        assert ("Decisiones anteriores" in html) == (page < 3)
        assert ("Decisiones más recientes" in html) == (page > 1)
    assert sorted(seen) == sorted(p.id for p in proposals)
    assert client.get("/transparency?page=abc").status_code == 200


def test_mesa_attendance_by_sector_is_published(client, db):
    import re
    from datetime import timedelta

    from app.models import MesaRegistration
    from app.models.base import utcnow
    from tests.factories import MesaFactory

    start = utcnow() - timedelta(days=3)
    mesa = MesaFactory(starts_at=start, ends_at=start + timedelta(hours=7))
    academic, civil = UserFactory(sector="academia"), UserFactory(sector="sociedad_civil")
    _db.session.add_all([
        MesaRegistration(mesa_id=mesa.id, user_id=academic.id, attended=True),
        MesaRegistration(mesa_id=mesa.id, user_id=civil.id),
    ])
    _db.session.flush()
    html = client.get("/transparency").get_data(as_text=True)
    table = html[html.index("Asistencia a las mesas por sector"):]
    table = table[:table.index("</table>")]
    cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', table))
    attended = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">\d+</td>'
                               r'<td class="num">(\d+)</td>', table))
    assert len(cells) == 7
    assert cells["Academia"] == "1" and attended["Academia"] == "1"
    assert cells["Sociedad civil"] == "1" and attended["Sociedad civil"] == "0"


def test_a_page_past_the_end_of_the_log_says_so(client, db):
    html = client.get("/transparency?page=9999").get_data(as_text=True)
    assert "No hay decisiones en esta página." in html
    assert 'href="/transparency#log-title"' in html
