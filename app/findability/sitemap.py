"""What the sitemap holds: an index, one document of the site's pages, and the proposals in
documents of at most SITEMAP_PAGE_SIZE URLs (the protocol's cap is 50,000).

Proposal document n holds the visible proposals whose id is in ((n-1)*size, n*size]: a range of
the primary key, so document n costs the same for any n, and the index needs only the largest
id (one lookup at the end of the primary key) rather than a scan of every proposal. Ids are
dense, so the documents are nearly full; hidden proposals only thin them.

A rendered proposal document is kept in this process with its content version (the number of
visible proposals in its range and their latest `updated_at`); every change to a proposal that
the document shows moves one of the two: a hidden proposal leaves the count, and an edit, a
support, a restored or a new proposal moves `updated_at`. The version itself is read again at
most every TRANSPARENCY_CACHE_SECONDS (see `proposal_page`).
"""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, render_template
from markupsafe import escape
from sqlalchemy import func, select

from app import cache
from app.extensions import db
from app.models import ActionPlan, Commitment, PlanVersion, Proposal, Theme
from app.plans.services import current_plan_id_subquery
from app.urls import absolute_url

# Public listings and documents, by endpoint; each theme, commitment and plan is added.
STATIC_PAGES = ("main.index", "proposals.themes", "proposals.index", "plan.index",
                "mesas.index", "transparency.index", "transparency.ogp_requirements",
                "repository.index", "plans.index", "plans.timeline", "api.docs",
                "api.reference", "main.terms", "main.privacy")
URLSET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
MAX_KEPT = 64  # rendered documents kept per process (a national plan has a handful)

Entry = tuple[str, datetime | None]


def page_size() -> int:
    return max(1, int(current_app.config.get("SITEMAP_PAGE_SIZE") or 50_000))


def proposal_page_count() -> int:
    """How many proposal documents there are: one query, on the end of the primary key."""
    last_id = db.session.scalar(select(func.max(Proposal.id))) or 0
    return -(-last_id // page_size())


def _id_range(number: int) -> tuple[int, int]:
    size = page_size()
    return (number - 1) * size + 1, number * size


def _urls_by_id(endpoint: str, key: str, ids: Iterable[int]) -> list[str]:
    """The absolute URLs of `endpoint` for many integer `ids`, routed once and then formatted:
    routing each (absolute_url) costs tens of microseconds, and a sitemap document holds up to
    50,000 proposals."""
    marker = "918273645"
    values: dict[str, Any] = {key: int(marker)}
    head, _, tail = absolute_url(endpoint, **values).partition(marker)
    return [f"{head}{item}{tail}" for item in ids]


def site_entries() -> list[Entry]:
    """(absolute URL, last modification or None) of every public page but the proposals: four
    queries on small tables (the themes' dates come from an index, not from every proposal)."""
    entries: list[Entry] = [(absolute_url(name), None) for name in STATIC_PAGES]
    newest = (select(func.max(Proposal.created_at))
              .where(Proposal.theme_id == Theme.id, Proposal.hidden.is_(False))
              .correlate(Theme).scalar_subquery())  # ix_proposals_theme_recent, per theme
    themes = db.session.execute(
        select(Theme.slug, newest).order_by(Theme.plan_id, Theme.position)).all()
    entries += [(absolute_url("proposals.theme", slug=slug), changed) for slug, changed in themes]
    commitments = db.session.execute(
        select(Commitment.id, Commitment.updated_at).order_by(Commitment.id)).all()
    entries += zip(_urls_by_id("consultation.commitment", "commitment_id",
                               (c.id for c in commitments)),
                   (c.updated_at for c in commitments), strict=True)
    slugs = db.session.scalars(select(ActionPlan.slug).order_by(ActionPlan.id)).all()
    entries += [(absolute_url("plans.detail", slug=slug), None) for slug in slugs]
    versions = db.session.execute(
        select(PlanVersion.number, PlanVersion.published_at)
        .where(PlanVersion.plan_id == current_plan_id_subquery()).order_by(PlanVersion.number)
    ).all()
    entries += [(absolute_url("plan.version", number=number), published)
                for number, published in versions]
    return entries


@dataclass(frozen=True)
class ProposalPage:
    number: int
    visible: int
    changed: datetime | None

    @property
    def etag(self) -> str:
        stamp = self.changed.isoformat() if self.changed else "-"
        key = f"{self.number}:{page_size()}:{self.visible}:{stamp}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]


def proposal_page(number: int) -> ProposalPage | None:
    """Proposal document `number`'s content version, None past the end. The version scans the
    document's id range, so it is read again at most every TRANSPARENCY_CACHE_SECONDS (the
    per-process aggregates cache, app/cache.py; 0 in the tests): a crawler may see a document
    that much older, and a kept document costs one query on the end of the primary key."""
    if number < 1 or number > proposal_page_count():
        return None
    low, high = _id_range(number)

    def version() -> ProposalPage:
        visible, changed = db.session.execute(
            select(func.count(), func.max(Proposal.updated_at))
            .where(Proposal.id.between(low, high), Proposal.hidden.is_(False))).one()
        return ProposalPage(number, visible, changed)

    return cache.cached("TRANSPARENCY_CACHE_SECONDS", ("sitemap", number, page_size()), version)


def _utc_day(column):
    """The UTC date of a UTCDateTime column as 'YYYY-MM-DD' text, computed by the database:
    parsing 50,000 timestamps in Python costs more than the rest of the document."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.substr(column, 1, 10)  # SQLite keeps UTC text, "YYYY-MM-DD HH:MM:SS.ffffff"


def _proposal_document(number: int) -> bytes:
    """Proposal document `number`, written directly rather than through the template: a
    template call per URL triples the cost of 50,000 of them. Ids and dates need no escaping;
    the URL around the id is escaped once."""
    low, high = _id_range(number)
    rows = db.session.execute(
        select(Proposal.id, _utc_day(Proposal.updated_at))
        .where(Proposal.id.between(low, high), Proposal.hidden.is_(False))
        .order_by(Proposal.id)).all()
    marker = "918273645"
    url = str(escape(absolute_url("proposals.detail", proposal_id=int(marker))))
    head, _, tail = url.partition(marker)
    lines = [URLSET_HEAD]
    lines += [f"  <url><loc>{head}{proposal_id}{tail}</loc><lastmod>{day}</lastmod></url>\n"
              if day else f"  <url><loc>{head}{proposal_id}{tail}</loc></url>\n"
              for proposal_id, day in rows]
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def render_urlset(entries: list[Entry]) -> bytes:
    return render_template("findability/sitemap.xml", entries=entries).encode("utf-8")


# Not app/cache.py: its entries live for a number of seconds under any key, and a key holding
# the version would keep every superseded multi-megabyte document until the cache fills. Here
# each document has one slot, replaced when its version moves.
_rendered: dict[tuple, tuple[str, bytes]] = {}
_lock = threading.Lock()


def rendered_proposal_page(page: ProposalPage) -> bytes:
    """The document's XML, rendered again only when its content version has moved (one more
    query then)."""
    slot = (str(db.engine.url), absolute_url("main.index"), page_size(), page.number)
    kept = _rendered.get(slot)
    if kept is not None and kept[0] == page.etag:
        return kept[1]
    document = _proposal_document(page.number)
    with _lock:
        if len(_rendered) >= MAX_KEPT:
            _rendered.clear()
        _rendered[slot] = (page.etag, document)
    return document


def clear() -> None:
    with _lock:
        _rendered.clear()
