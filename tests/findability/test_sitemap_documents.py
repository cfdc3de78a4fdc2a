"""The sitemap index and its documents: proposals in id ranges of SITEMAP_PAGE_SIZE, each
document within the size, every visible proposal in exactly one, nothing past the end."""
from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from app.findability import sitemap as sitemaps
from tests.bench.test_query_counts import counting_queries
from tests.factories import ProposalFactory, ThemeFactory

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP = "{" + NS + "}"
SIZE = 3


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "SITEMAP_PAGE_SIZE", SIZE)
    sitemaps.clear()
    yield SIZE
    sitemaps.clear()


@pytest.fixture
def proposals(seeded, small_pages):
    """Eight proposals over at least three id ranges; two hidden, one of them the last."""
    theme = ThemeFactory()
    made = [ProposalFactory(theme=theme) for _ in range(8)]
    made[1].hidden = True
    made[-1].hidden = True
    seeded.session.flush()
    return made


def _path(url: str) -> str:
    assert url.startswith("http://localhost/")
    return url.removeprefix("http://localhost")


def index_documents(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.get_data())
    assert root.tag == f"{SITEMAP}sitemapindex"
    assert all(child.tag == f"{SITEMAP}sitemap" for child in root)
    return [_path(child.findtext(f"{SITEMAP}loc")) for child in root]


def urlset(client, path: str) -> list[str]:
    """The document's locations, after checking its shape against the protocol: a <urlset> of
    <url> holding one <loc> and at most one <lastmod> (W3C date), all in the sitemap
    namespace."""
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.get_data())
    assert root.tag == f"{SITEMAP}urlset"
    locations = []
    for url in root:
        assert url.tag == f"{SITEMAP}url"
        tags = [child.tag for child in url]
        assert tags in ([f"{SITEMAP}loc"], [f"{SITEMAP}loc", f"{SITEMAP}lastmod"])
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        assert lastmod is None or re.fullmatch(r"\d{4}-\d\d-\d\d", lastmod)
        locations.append(url.findtext(f"{SITEMAP}loc"))
    return locations


def proposal_ids(locations: list[str]) -> list[int]:
    return [int(m.group(1)) for loc in locations
            if (m := re.fullmatch(r"http://localhost/proposals/(\d+)", loc))]


def test_index_lists_the_site_pages_then_one_document_per_id_range(client, proposals):
    last_id = max(p.id for p in proposals)
    expected = -(-last_id // SIZE)
    documents = index_documents(client)
    assert documents == ["/sitemap-pages.xml",
                         *(f"/sitemap-proposals-{n}.xml" for n in range(1, expected + 1))]


def test_every_visible_proposal_is_in_exactly_one_document_within_the_size(client, proposals):
    seen: list[int] = []
    for path in index_documents(client)[1:]:
        locations = urlset(client, path)
        assert len(locations) <= SIZE
        seen += proposal_ids(locations)
    visible = [p.id for p in proposals if not p.hidden]
    assert sorted(seen) == visible  # nothing lost or repeated at the range boundaries
    assert not {p.id for p in proposals if p.hidden} & set(seen)


def test_a_document_holds_the_ids_of_its_range_in_order(client, proposals):
    target = proposals[4]
    number = (target.id - 1) // SIZE + 1
    ids = proposal_ids(urlset(client, f"/sitemap-proposals-{number}.xml"))
    assert target.id in ids and ids == sorted(ids)
    assert all((number - 1) * SIZE < i <= number * SIZE for i in ids)


def test_site_pages_hold_no_proposal(client, proposals):
    assert proposal_ids(urlset(client, "/sitemap-pages.xml")) == []


@pytest.mark.parametrize("past", [0, 1, 10])
def test_a_document_past_the_end_is_not_found(client, proposals, past):
    last = len(index_documents(client)) - 1
    assert client.get(f"/sitemap-proposals-{last}.xml").status_code == 200
    number = 0 if past == 0 else last + past
    assert client.get(f"/sitemap-proposals-{number}.xml").status_code == 404


def test_without_proposals_the_index_lists_only_the_site_pages(client, seeded, small_pages):
    from app.models import Proposal

    assert seeded.session.query(Proposal).count() == 0
    assert index_documents(client) == ["/sitemap-pages.xml"]
    assert client.get("/sitemap-proposals-1.xml").status_code == 404


def test_a_proposal_document_costs_the_same_queries_rendered_or_kept(client, proposals):
    number = (proposals[0].id - 1) // SIZE + 1
    path = f"/sitemap-proposals-{number}.xml"
    client.get(path)  # first-request work (translations) is not the document's
    sitemaps.clear()
    with counting_queries() as rendered:
        first = client.get(path)
    with counting_queries() as kept:
        again = client.get(path)
    assert first.get_data() == again.get_data()
    assert len(rendered) == 3 and len(kept) == 2  # end of ids, version, and the rows once


def test_a_kept_document_changes_when_a_proposal_in_it_is_hidden_or_added(client, proposals,
                                                                          db):
    target = proposals[2]
    number = (target.id - 1) // SIZE + 1
    path = f"/sitemap-proposals-{number}.xml"
    assert target.id in proposal_ids(urlset(client, path))
    target.hidden = True
    db.session.flush()
    assert target.id not in proposal_ids(urlset(client, path))

    last = len(index_documents(client)) - 1
    newest = ProposalFactory(theme=proposals[0].theme)
    newest_number = (newest.id - 1) // SIZE + 1
    assert newest_number >= last
    assert newest.id in proposal_ids(urlset(client, f"/sitemap-proposals-{newest_number}.xml"))


def test_a_crawler_that_has_the_document_gets_304(client, proposals):
    path = f"/sitemap-proposals-{(proposals[0].id - 1) // SIZE + 1}.xml"
    first = client.get(path)
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_with_the_aggregates_cache_on_a_kept_document_costs_one_query(client, proposals, app,
                                                                      monkeypatch, db):
    from app import cache

    monkeypatch.setitem(app.config, "TRANSPARENCY_CACHE_SECONDS", 300)
    cache.clear()
    target = proposals[0]
    path = f"/sitemap-proposals-{(target.id - 1) // SIZE + 1}.xml"
    client.get(path)
    with counting_queries() as kept:
        first = client.get(path)
    assert len(kept) == 1  # the end of the ids; the version and the document are kept

    target.hidden = True
    db.session.flush()
    assert client.get(path).get_data() == first.get_data()  # stale until the version expires
    cache.clear()
    assert target.id not in proposal_ids(urlset(client, path))
    cache.clear()
