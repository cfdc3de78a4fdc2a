"""Atom feeds: valid Atom (RFC 4287) by feedparser and by structure, newest first, only
visible content, linked from the pages, and conditional GETs."""
from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest

from app.extensions import db
from app.models.base import utcnow
from app.plan.services import publish_version
from tests.factories import ModeratorFactory, ProposalFactory, ThemeFactory, UserFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def assert_valid_atom(response) -> feedparser.FeedParserDict:
    """The answer is a well-formed Atom feed with the elements RFC 4287 requires."""
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ElementTree.fromstring(response.get_data())
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, f"feed without <{name}>"
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}") is not None, f"entry without <{name}>"
        rels = [link.get("rel", "alternate") for link in entry.findall(f"{ATOM}link")]
        assert "alternate" in rels  # a link without rel is the alternate (RFC 4287, 4.2.7.2)
    return parsed


@pytest.fixture
def theme_proposals(db):
    theme = ThemeFactory(slug="salud", name="Salud")
    author = UserFactory(display_name="Ana", email="ana.privada@ejemplo.org")
    now = utcnow()
    older = ProposalFactory(theme=theme, author=author, title="Vacunas abiertas",
                            created_at=now - timedelta(days=2))
    newer = ProposalFactory(theme=theme, author=author, title="Compras de medicinas",
                            created_at=now - timedelta(days=1))
    hidden = ProposalFactory(theme=theme, title="Oculta", hidden=True)
    other = ProposalFactory(title="De otra temática")
    return theme, older, newer, hidden, other


def test_theme_feed_lists_its_visible_proposals_newest_first(client, theme_proposals):
    theme, older, newer, _hidden, _other = theme_proposals
    parsed = assert_valid_atom(client.get("/feeds/themes/salud.atom"))
    assert [entry.title for entry in parsed.entries] == [newer.title, older.title]
    assert parsed.entries[0].link.endswith(f"/proposals/{newer.id}")
    assert parsed.entries[0].author == "Ana"
    assert "ana.privada" not in client.get("/feeds/themes/salud.atom").get_data(as_text=True)
    assert parsed.feed.language == "es"


def test_unknown_theme_feed_is_404(client, db):
    assert client.get("/feeds/themes/no-existe.atom").status_code == 404


def test_decisions_feed_carries_the_reasoned_response(client, db):
    decided = ProposalFactory(status="accepted", response="Se incluye en el borrador.",
                              decided_at=utcnow(), title="Agua municipal")
    ProposalFactory(status="rejected", response="Fuera de alcance.", decided_at=utcnow(),
                    hidden=True)
    ProposalFactory(status="open")
    parsed = assert_valid_atom(client.get("/feeds/decisions.atom"))
    assert [entry.title for entry in parsed.entries] == [f"Aceptada: {decided.title}"]
    assert "Se incluye en el borrador." in parsed.entries[0].summary


def test_plan_versions_feed_links_each_version_and_its_pdf(client, seeded):
    from app.plan.services import current_plan

    publish_version(current_plan(), ModeratorFactory(), "Borrador v1")
    db.session.flush()
    parsed = assert_valid_atom(client.get("/feeds/plan-versions.atom"))
    assert [entry.title for entry in parsed.entries] == ["Borrador v1"]
    assert parsed.entries[0].link.endswith("/plan/versions/1")
    assert "/plan/versions/1/export.pdf" in parsed.entries[0].summary


def test_empty_feeds_are_still_valid_atom(client, seeded):
    assert_valid_atom(client.get("/feeds/decisions.atom"))
    assert_valid_atom(client.get("/feeds/plan-versions.atom"))


def test_feed_answers_304_to_a_reader_that_has_it(client, theme_proposals):
    first = client.get("/feeds/themes/salud.atom")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert client.get("/feeds/themes/salud.atom",
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/feeds/themes/salud.atom",
                      headers={"If-Modified-Since": first.headers["Last-Modified"]}
                      ).status_code == 304


@pytest.mark.parametrize(("path", "feed"), [
    ("/", "/feeds/decisions.atom"),
    ("/themes/salud", "/feeds/themes/salud.atom"),
    ("/plan", "/feeds/plan-versions.atom"),
])
def test_pages_announce_their_feeds(client, seeded, theme_proposals, path, feed):
    html = client.get(path).get_data(as_text=True)
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in html


@pytest.mark.parametrize("path", ["/feeds/themes/{slug}.atom", "/feeds/decisions.atom"])
def test_feed_costs_the_same_queries_with_three_times_the_data(client, db, path):
    from tests.bench.test_query_counts import MAX_QUERIES, queries_for

    theme = ThemeFactory()

    def add(count):
        for _ in range(count):
            ProposalFactory(theme=theme, author=UserFactory(), status="accepted",
                            response="Incluida en el borrador.", decided_at=utcnow())

    add(5)
    small = queries_for(client, path.format(slug=theme.slug))
    add(10)
    large = queries_for(client, path.format(slug=theme.slug))
    assert small == large <= MAX_QUERIES
