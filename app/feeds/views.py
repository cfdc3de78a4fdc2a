"""Atom feeds: /feeds/themes/<slug>.atom, /feeds/decisions.atom, /feeds/plan-versions.atom.

Progress updates of commitments have no feed yet: the platform does not record them.
"""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, current_app, request

from app.feeds import atom, services
from app.proposals.queries import theme_by_slug

bp = Blueprint("feeds", __name__)
MEDIA_TYPE = "application/atom+xml"


def _atom(document: bytes, last_modified: datetime | None) -> Response:
    """The feed, cacheable for five minutes, 304 for a reader that already has it."""
    response = current_app.response_class(document, mimetype=MEDIA_TYPE)
    response.add_etag()
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = "public, max-age=300"
    response.make_conditional(request)  # 304 without a body when the reader has it
    return response


@bp.route("/feeds/themes/<slug>.atom")
def theme_proposals(slug: str):
    """New proposals of one theme, newest first (50); 404 for an unknown theme."""
    theme = theme_by_slug(slug)
    proposals = services.new_proposals(theme)
    return _atom(atom.new_proposals_feed(theme, proposals),
                 atom.last_changed(p.created_at for p in proposals))


@bp.route("/feeds/decisions.atom")
def decisions():
    """Final decisions on proposals with their reasoned responses, latest first (50)."""
    proposals = services.decisions()
    return _atom(atom.decisions_feed(proposals),
                 atom.last_changed(p.decided_at for p in proposals))


@bp.route("/feeds/plan-versions.atom")
def plan_versions():
    """Published versions of the plan draft, latest first (50)."""
    versions = services.plan_versions()
    return _atom(atom.plan_versions_feed(versions),
                 atom.last_changed(v.published_at for v in versions))
