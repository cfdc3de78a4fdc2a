"""The moderation queue shows a bounded window of reports (the oldest first) and says so
when there are more, instead of a count that looks complete."""
from app.extensions import db as _db
from app.models import Flag
from app.moderation import queries
from tests.factories import ModeratorFactory, ProposalFactory, UserFactory


def _report(theme, count: int) -> None:
    for _ in range(count):
        proposal = ProposalFactory(theme=theme)
        _db.session.add(Flag(target_type="proposal", target_id=proposal.id,
                             user_id=UserFactory().id, reason="spam", details=""))
    _db.session.flush()


def test_the_queue_says_only_the_oldest_reports_are_shown_when_there_are_more(
        client, auth, db, theme, monkeypatch):
    monkeypatch.setattr(queries, "QUEUE_LIMIT", 2)
    _report(theme, 3)
    auth.login_as(ModeratorFactory())
    page = client.get("/moderation").get_data(as_text=True)
    assert "(2+)" in page
    assert "Se muestran los 2 más antiguos" in page


def test_the_queue_counts_reports_exactly_when_all_are_shown(client, auth, db, theme,
                                                              monkeypatch):
    monkeypatch.setattr(queries, "QUEUE_LIMIT", 5)
    _report(theme, 1)
    auth.login_as(ModeratorFactory())
    page = client.get("/moderation").get_data(as_text=True)
    assert "(1)" in page
    assert "más antiguos" not in page
