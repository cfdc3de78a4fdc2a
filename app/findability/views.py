"""/sitemap.xml (every public page worth indexing) and /robots.txt (what crawlers skip)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import func, select

from app.extensions import db
from app.models import ActionPlan, PlanVersion, Proposal, Theme
from app.plans.services import current_plan_id_subquery
from app.urls import absolute_url

bp = Blueprint("findability", __name__)

# Public listings and documents, by endpoint; each proposal, theme and plan version is added.
STATIC_PAGES = ("main.index", "proposals.themes", "proposals.index", "plan.index",
                "mesas.index", "transparency.index", "plans.index", "plans.timeline",
                "api.docs", "api.reference", "main.terms", "main.privacy")
# Paths with nothing to index: forms, personal pages, moderation, machine endpoints.
DISALLOWED = ("/auth/", "/account", "/moderation", "/admin", "/proposals/new", "/language",
              "/healthz", "/readyz", "/metrics")


def _absolute(endpoint: str, **values) -> str:
    return absolute_url(endpoint, **values)


def sitemap_entries() -> list[tuple[str, object]]:
    """(absolute URL, last modification or None) of every public page: four queries."""
    entries: list[tuple[str, object]] = [(_absolute(name), None) for name in STATIC_PAGES]
    themes = db.session.execute(
        select(Theme.slug, func.max(Proposal.updated_at))
        .outerjoin(Proposal, (Proposal.theme_id == Theme.id) & Proposal.hidden.is_(False))
        .group_by(Theme.id, Theme.slug, Theme.position).order_by(Theme.position)
    ).all()
    entries += [(_absolute("proposals.theme", slug=slug), changed) for slug, changed in themes]
    proposals = db.session.execute(
        select(Proposal.id, Proposal.updated_at)
        .where(Proposal.hidden.is_(False)).order_by(Proposal.id)
    ).all()
    entries += [(_absolute("proposals.detail", proposal_id=pid), changed)
                for pid, changed in proposals]
    slugs = db.session.scalars(select(ActionPlan.slug).order_by(ActionPlan.id)).all()
    entries += [(_absolute("plans.detail", slug=slug), None) for slug in slugs]
    versions = db.session.execute(
        select(PlanVersion.number, PlanVersion.published_at)
        .where(PlanVersion.plan_id == current_plan_id_subquery()).order_by(PlanVersion.number)
    ).all()
    entries += [(_absolute("plan.version", number=number), published)
                for number, published in versions]
    return entries


@bp.route("/sitemap.xml")
def sitemap():
    """The sitemap protocol 0.9 document: page URLs with their last modification date."""
    response = current_app.response_class(
        render_template("findability/sitemap.xml", entries=sitemap_entries()),
        mimetype="application/xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/robots.txt")
def robots():
    """Crawlers may read every public page; forms and personal pages are skipped."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "",
             f"Sitemap: {_absolute('findability.sitemap')}", ""]
    response = current_app.response_class("\n".join(lines), mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
