"""Theme pages and proposal listings and pages."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from app.extensions import db
from app.models import Proposal
from app.proposals.queries import list_proposals, parse_filters, theme_by_slug, theme_summaries

bp = Blueprint("proposals", __name__)


@bp.route("/themes")
def themes():
    """The 12 themes with their proposal and support counts."""
    return render_template("proposals/themes.html", themes=theme_summaries())


@bp.route("/themes/<slug>")
def theme(slug: str):
    """The proposals of one theme."""
    theme = theme_by_slug(slug)
    filters = parse_filters(request.args, theme=theme)
    page = list_proposals(filters)
    return render_template("proposals/theme.html", theme=theme, filters=filters, page=page)


@bp.route("/proposals")
def index():
    """Every visible proposal, filterable by theme."""
    filters = parse_filters(request.args)
    page = list_proposals(filters)
    return render_template("proposals/index.html", filters=filters, page=page)


@bp.route("/proposals/<int:proposal_id>")
def detail(proposal_id: int):
    """One proposal in the OGP template."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not proposal.can_view(current_user):
        abort(404)
    return render_template("proposals/detail.html", proposal=proposal)
