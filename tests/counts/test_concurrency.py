"""Every stored counter stays equal to its rows under concurrent changes, over real requests
that commit (SQLite file, or a schema of its own in TEST_DATABASE_URL's PostgreSQL).

One round mixes, at the same moment: comments, replies and deletions by their authors,
moderators hiding and restoring those comments and proposals, supports given and withdrawn
on the proposals being hidden, new proposals in the theme, and mesa registrations and
cancellations. Afterwards `flask counts check` finds no drift in any counter.
"""
from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Comment, Mesa, MesaRegistration, Proposal, Theme
from tests.factories import (
    CommentFactory,
    MesaFactory,
    ModeratorFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
)
from tests.votes.live import live_app, login

pytestmark = pytest.mark.slow

PARTICIPANTS = 8
ROUNDS = 3
HTMX = {"HX-Request": "true"}


def _setup(app):
    with app.app_context():
        theme = ThemeFactory()
        talked = ProposalFactory(theme=theme)
        contested = ProposalFactory.create_batch(2, theme=theme)
        people = UserFactory.create_batch(PARTICIPANTS)
        moderators = ModeratorFactory.create_batch(2)
        own = [CommentFactory(proposal_id=talked.id, author_id=person.id) for person in people]
        others = CommentFactory.create_batch(4, proposal_id=talked.id)
        mesa = MesaFactory(capacity=PARTICIPANTS // 2)
        db.session.commit()
        return {
            "theme": theme.slug, "theme_id": theme.id, "talked": talked.id,
            "contested": [p.id for p in contested], "people": [p.email for p in people],
            "moderators": [m.email for m in moderators], "own": [c.id for c in own],
            "others": [c.id for c in others], "mesa": mesa.id,
        }


def _clients(app, emails):
    clients = []
    for email in emails:
        client = app.test_client()
        login(client, email)
        clients.append(client)
    return clients


def test_every_counter_matches_its_rows_after_concurrent_changes(tmp_path):
    with live_app(tmp_path) as app:
        ids = _setup(app)
        people = _clients(app, ids["people"])
        moderators = _clients(app, ids["moderators"])
        statuses: Counter[int] = Counter()
        lock = threading.Lock()
        barrier = threading.Barrier(PARTICIPANTS + len(moderators))

        def post(client, url, **kwargs):
            response = client.post(url, **kwargs)
            with lock:
                statuses[response.status_code] += 1

        def participant(index: int) -> None:
            client, talked = people[index], ids["talked"]
            barrier.wait()
            for round_ in range(ROUNDS):
                headers = HTMX if (index + round_) % 2 else {}
                post(client, f"/proposals/{talked}/comments", headers=headers,
                     data={"body": f"Aporte {index}-{round_}"})
                post(client, f"/proposals/{talked}/comments", headers=headers,
                     data={"body": "Respuesta", "parent_id": ids["others"][round_ % 4]})
                for proposal_id in ids["contested"]:
                    post(client, f"/proposals/{proposal_id}/vote", headers=headers)
                post(client, f"/mesas/{ids['mesa']}/register", headers=headers)
                if round_ == 0:
                    post(client, f"/comments/{ids['own'][index]}/delete", headers=headers)
                    post(client, "/proposals/new", data={
                        "theme": ids["theme"], "title": f"Propuesta nueva {index}",
                        "problem": "Un problema público.", "description": "Un compromiso.",
                        "ogp_values": "transparency"})
                post(client, f"/mesas/{ids['mesa']}/unregister", headers=headers)

        def moderator(index: int) -> None:
            client = moderators[index]
            comments = (ids["own"] + ids["others"])[index::2]
            barrier.wait()
            for round_ in range(ROUNDS):
                for comment_id in comments:
                    post(client, f"/moderation/comments/{comment_id}/hide",
                         data={"reason": "Revisión."})
                post(client, f"/moderation/proposals/{ids['contested'][index]}/hide",
                     data={"reason": "Revisión."})
                for comment_id in comments[round_ % 2::2]:
                    post(client, f"/moderation/comments/{comment_id}/restore")
                post(client, f"/moderation/proposals/{ids['contested'][index]}/restore")

        threads = [threading.Thread(target=participant, args=(i,)) for i in range(PARTICIPANTS)]
        threads += [threading.Thread(target=moderator, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        # 404: a support on a proposal hidden at that moment; 409: a deleted comment hidden,
        # a reply to a hidden comment. Never a 500.
        assert set(statuses) <= {200, 303, 404, 409}, statuses
        with app.app_context():
            talked = db.session.get(Proposal, ids["talked"])
            readable = db.session.scalar(select(func.count()).select_from(Comment).where(
                Comment.proposal_id == talked.id, Comment.hidden.is_(False),
                Comment.deleted_at.is_(None)))
            assert talked.comment_count == readable
            theme = db.session.get(Theme, ids["theme_id"])
            visible = db.session.scalars(select(Proposal).where(
                Proposal.theme_id == theme.id, Proposal.hidden.is_(False))).all()
            assert theme.proposal_count == len(visible) >= 1 + PARTICIPANTS
            assert theme.vote_count == sum(p.vote_count for p in visible)
            mesa = db.session.get(Mesa, ids["mesa"])
            assert mesa.seats_taken == db.session.scalar(
                select(func.count()).select_from(MesaRegistration).where(
                    MesaRegistration.mesa_id == mesa.id,
                    MesaRegistration.status == "registered"))
        result = app.test_cli_runner().invoke(args=["counts", "check"])
        assert result.exit_code == 0, result.output
