"""/sitemap.xml (an index of the sitemap documents), the documents themselves, and /robots.txt
(what crawlers skip)."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, current_app, render_template, request

from app.findability import sitemap as sitemaps
from app.urls import absolute_url

bp = Blueprint("findability", __name__)

# Paths with nothing to index: forms, personal pages, moderation, machine endpoints.
DISALLOWED = ("/auth/", "/account", "/moderation", "/admin", "/proposals/new",
              "/repository/upload", "/language",
              "/healthz", "/readyz", "/metrics")


def _xml(document: bytes | str, *, etag: str | None = None,
         last_modified: datetime | None = None) -> Response:
    """An XML answer crawlers may keep for an hour, 304 when they already have it."""
    response = current_app.response_class(document, mimetype="application/xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    if etag:
        response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified
    response.make_conditional(request)
    return response


@bp.route("/sitemap.xml")
def sitemap():
    """The sitemap index (protocol 0.9): the site's pages, then the proposal documents."""
    locations = [absolute_url("findability.sitemap_pages")]
    locations += [absolute_url("findability.sitemap_proposals", number=number)
                  for number in range(1, sitemaps.proposal_page_count() + 1)]
    return _xml(render_template("findability/sitemap_index.xml", locations=locations))


@bp.route("/sitemap-pages.xml")
def sitemap_pages():
    """The public pages other than proposals: listings, themes, commitments, plans, versions."""
    return _xml(sitemaps.render_urlset(sitemaps.site_entries()))


@bp.route("/sitemap-proposals-<int:number>.xml")
def sitemap_proposals(number: int):
    """Visible proposals of one id range (SITEMAP_PAGE_SIZE ids); 404 past the last one."""
    page = sitemaps.proposal_page(number)
    if page is None:
        abort(404)
    if request.if_none_match.contains(page.etag):  # the crawler has it: no rendering at all
        return _xml(b"", etag=page.etag, last_modified=page.changed)
    return _xml(sitemaps.rendered_proposal_page(page), etag=page.etag,
                last_modified=page.changed)


@bp.route("/robots.txt")
def robots():
    """Crawlers may read every public page; forms and personal pages are skipped."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "",
             f"Sitemap: {absolute_url('findability.sitemap')}", ""]
    response = current_app.response_class("\n".join(lines), mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
