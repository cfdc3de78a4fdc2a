"""Findability: a description and Open Graph tags on every page, /sitemap.xml, /robots.txt."""
from __future__ import annotations

from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from tests.factories import ProposalFactory, ThemeFactory

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self.tags.append(dict(attrs))


def meta_of(html: str) -> tuple[list[str], dict[str, str]]:
    """(every meta description, {og property: content})."""
    parser = _Meta()
    parser.feed(html)
    descriptions = [t["content"] for t in parser.tags if t.get("name") == "description"]
    og = {t["property"]: t["content"] for t in parser.tags
          if t.get("property", "").startswith("og:")}
    return descriptions, og


@pytest.fixture
def pages(seeded):
    theme = ThemeFactory(slug="agua", name="Agua", description="Agua potable para todos.")
    proposal = ProposalFactory(theme=theme, title="Calidad del agua municipal",
                               problem="Nadie publica la calidad del agua.")
    hidden = ProposalFactory(theme=theme, title="Oculta", hidden=True)
    return theme, proposal, hidden


PAGES = ["/", "/themes", "/themes/agua", "/proposals", "/proposals/{proposal}", "/plan",
         "/mesas", "/transparency", "/api", "/api/docs", "/auth/login"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_one_description_and_open_graph_tags(client, pages, path):
    _theme, proposal, _hidden = pages
    response = client.get(path.format(proposal=proposal.id))
    assert response.status_code == 200
    descriptions, og = meta_of(response.get_data(as_text=True))
    assert len(descriptions) == 1 and len(descriptions[0]) >= 20
    assert og["og:description"] == descriptions[0]
    assert og["og:title"] and og["og:site_name"] == "Cocrea" and og["og:type"] == "website"
    assert og["og:url"] == "http://localhost" + path.format(proposal=proposal.id)
    assert og["og:locale"] == "es_GT"


def test_descriptions_speak_of_the_page(client, pages):
    theme, proposal, _hidden = pages
    theme_description, _ = meta_of(client.get("/themes/agua").get_data(as_text=True))
    proposal_description, og = meta_of(
        client.get(f"/proposals/{proposal.id}").get_data(as_text=True))
    assert theme_description == [theme.description]
    assert proposal_description == [proposal.problem]
    assert og["og:title"] == proposal.title


def locations_of(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.get_data())
    assert root.tag == f"{SITEMAP}urlset"
    return [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]


def test_sitemap_lists_public_pages_and_no_hidden_content(client, pages):
    theme, proposal, hidden = pages
    index = ElementTree.fromstring(client.get("/sitemap.xml").get_data())
    documents = [s.findtext(f"{SITEMAP}loc") for s in index.findall(f"{SITEMAP}sitemap")]
    locations = [loc for document in documents
                 for loc in locations_of(client, document.removeprefix("http://localhost"))]
    assert "http://localhost/" in locations
    assert "http://localhost/themes/agua" in locations
    assert f"http://localhost/proposals/{proposal.id}" in locations
    assert f"http://localhost/proposals/{hidden.id}" not in locations
    assert not [loc for loc in locations if "/auth/" in loc or "/account" in loc]
    assert len(locations) == len(set(locations))


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-pages.xml",
                                  "/sitemap-proposals-{last}.xml"])
def test_sitemap_costs_the_same_queries_with_more_proposals(client, pages, path):
    from tests.bench.test_query_counts import queries_for

    url = path.format(last=pages[2].id // 50_000 + 1)
    small = queries_for(client, url)
    for _ in range(10):
        ProposalFactory(theme=pages[0])
    assert queries_for(client, url) == small <= 4


def test_robots_txt_points_to_the_sitemap_and_skips_personal_pages(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /auth/" in lines and "Disallow: /account" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the public site stays crawlable


def test_sitemap_lists_the_plans_their_commitments_and_the_repository(client, pages, db):
    from app.models import ActionPlan, Commitment

    theme = pages[0]
    commitment = Commitment(plan_id=theme.plan_id, theme_id=theme.id, number=99,
                            title="Agua segura en cada municipio")
    db.session.add(commitment)
    db.session.flush()
    plan = db.session.get(ActionPlan, theme.plan_id)
    locations = set(locations_of(client, "/sitemap-pages.xml"))
    assert f"http://localhost/plan/commitments/{commitment.id}" in locations
    assert f"http://localhost/plans/{plan.slug}" in locations
    assert {"http://localhost/repository", "http://localhost/timeline",
            "http://localhost/plans"} <= locations
    assert client.get(f"/plan/commitments/{commitment.id}").status_code == 200
