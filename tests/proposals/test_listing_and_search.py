"""Listings: full-text search, sorting, paging, and a constant number of queries."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from app.models.base import utcnow
from tests.factories import ModeratorFactory, ProposalFactory, ThemeFactory, UserFactory


def _titles(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.data
    return response.get_data(as_text=True)


@pytest.fixture
def corpus(db, theme):
    return {
        "compras": ProposalFactory(theme=theme, title="Portal de compras públicas abiertas",
                                   problem="Nadie sabe qué compra el Estado."),
        "agua": ProposalFactory(theme=theme, title="Monitoreo ciudadano del agua",
                                problem="Los ríos están contaminados por desechos.",
                                description="Publicar mediciones de calidad del agua."),
        "educacion": ProposalFactory(theme=theme, title="Presupuesto escolar transparente",
                                     problem="Las escuelas no reciben a tiempo sus fondos.",
                                     description="Tablero de transferencias a cada escuela."),
    }


@pytest.mark.parametrize(("q", "expected"), [
    ("compras", {"compras"}),
    ("contaminados", {"agua"}),            # in the problem
    ("transferencias", {"educacion"}),     # in the description
    ("escuel", {"educacion"}),             # a prefix, as people type
    ("agua ríos", {"agua"}),               # every word must match
    ("agua compras", set()),
])
def test_search_finds_words_in_title_problem_and_description(client, theme, corpus, q,
                                                               expected):
    html = _titles(client, f"/themes/{theme.slug}?q={q}")
    found = {key for key, proposal in corpus.items() if proposal.title in html}
    assert found == expected


def test_search_ignores_accents(client, theme, corpus):
    assert "Portal de compras" in _titles(client, f"/themes/{theme.slug}?q=publicas")
    assert "Portal de compras" in _titles(client, f"/themes/{theme.slug}?q=PÚBLICAS")


@pytest.mark.parametrize("q", ['"', "*", "AND (", "'", "compras AND (", '"compras', "NEAR(",
                               "compras*", "-compras", "^", ":", "OR", "NOT", "a' OR '1'='1",
                               "\\", "%", "_", "{title}:x", "compras & | !", "¿qué?",
                               "x" * 500])
def test_search_syntax_characters_are_plain_text(client, theme, corpus, q):
    from urllib.parse import quote

    for path in (f"/themes/{theme.slug}?q={quote(q)}", f"/proposals?q={quote(q)}",
                 f"/proposals/similar?theme={theme.slug}&title={quote(q)}"):
        assert client.get(path).status_code == 200


def test_search_with_operators_still_matches_the_words(client, theme, corpus):
    html = _titles(client, "/proposals?q=%22compras*%22+(%27")
    assert "Portal de compras públicas abiertas" in html


def test_search_follows_edits_and_skips_hidden_proposals(client, db, theme, corpus):
    corpus["agua"].title = "Vigilancia de la calidad hídrica"
    corpus["compras"].hidden = True
    db.session.flush()
    assert "hídrica" in _titles(client, "/proposals?q=vigilancia")
    assert "Portal de compras" not in _titles(client, "/proposals?q=compras")


def test_listing_sorts_by_votes_recent_and_comments(client, theme):
    now = utcnow()
    a = ProposalFactory(theme=theme, title="Alfa", vote_count=5, comment_count=1,
                        created_at=now - timedelta(days=3))
    b = ProposalFactory(theme=theme, title="Beta", vote_count=1, comment_count=9,
                        created_at=now - timedelta(days=2))
    c = ProposalFactory(theme=theme, title="Gamma", vote_count=3, comment_count=0,
                        created_at=now - timedelta(days=1))

    def order(sort):
        html = _titles(client, f"/themes/{theme.slug}?sort={sort}")
        return sorted((a, b, c), key=lambda p: html.index(f">{p.title}</a>"))

    assert order("votes") == [a, c, b]
    assert order("recent") == [c, b, a]
    assert order("comments") == [b, a, c]
    # A mistyped parameter falls back to the default listing (the API keeps its 400).
    assert client.get(f"/themes/{theme.slug}?sort=drop").status_code == 200
    assert client.get(f"/api/v1/proposals?theme={theme.slug}&sort=drop").status_code == 400


def test_listing_pages_by_twenty_with_total(client, theme):
    for number in range(25):
        ProposalFactory(theme=theme, title=f"Propuesta número {number:02d}", vote_count=number)
    first = _titles(client, f"/themes/{theme.slug}")
    assert "25 propuestas" in first and "Página 1 de 2" in first
    assert "Propuesta número 24" in first and "Propuesta número 04" not in first
    second = _titles(client, f"/themes/{theme.slug}?page=2")
    assert second.count('class="card proposal-card"') == 5
    assert "Propuesta número 04" in second
    for page in ("abc", "0", "-1"):
        fallback = client.get(f"/themes/{theme.slug}?page={page}")
        assert fallback.status_code == 200 and "Propuesta número 24" in fallback.get_data(
            as_text=True)
    assert client.get("/api/v1/proposals?page=abc").status_code == 400


def test_proposals_index_filters_by_theme(client, theme):
    other = ThemeFactory()
    ProposalFactory(theme=theme, title="De esta temática")
    ProposalFactory(theme=other, title="De otra temática")
    html = _titles(client, f"/proposals?theme={other.slug}")
    assert "De otra temática" in html and "De esta temática" not in html
    assert f'<option value="{other.slug}" selected>' in html
    assert client.get("/proposals?theme=no-existe").status_code == 200
    assert client.get("/api/v1/proposals?theme=no-existe").status_code == 400


def _queries_for(client, db, path: str) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("path", ["/themes/{slug}", "/proposals", "/proposals?q=compras",
                                  "/themes/{slug}?sort=comments&q=datos"])
def test_listing_query_count_does_not_grow_with_the_page(client, db, path):
    small, large = ThemeFactory(), ThemeFactory()
    for theme, n in ((small, 5), (large, 20)):
        for i in range(n):
            ProposalFactory(theme=theme, title=f"Datos de compras {i}")
    counts = []
    for theme in (small, large):
        url = path.format(slug=theme.slug)
        if "{slug}" not in path:
            url += ("&" if "?" in url else "?") + f"theme={theme.slug}"
        html_queries = _queries_for(client, db, url)
        counts.append(html_queries)
    assert counts[0] == counts[1]
    assert counts[0] <= 6


def test_theme_total_counts_a_new_proposal_and_drops_a_hidden_one_at_once(client, db, theme):
    from app.moderation.services import hide_content
    from app.proposals.services import submit_proposal

    for index in range(3):
        ProposalFactory(theme=theme, title=f"Propuesta {index}")
    author = UserFactory()
    submit_proposal(author, theme, {
        "title": "Una propuesta recién publicada", "problem": "Un problema público claro.",
        "description": "Un compromiso concreto y medible.", "ogp_values": ["transparency"]})
    assert "4 propuestas" in client.get(f"/themes/{theme.slug}").get_data(as_text=True)
    hidden = ProposalFactory(theme=theme, title="Propuesta con spam")
    hide_content(ModeratorFactory(), "proposal", hidden.id, "Publicidad no solicitada.")
    html = client.get(f"/themes/{theme.slug}").get_data(as_text=True)
    assert "4 propuestas" in html and "Propuesta con spam" not in html
