"""Supports: the toggle route, its rate limits, and the template globals of the button."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app.database import commit_and_keep, get_or_404
from app.errors import ServiceError
from app.extensions import db, limiter
from app.models import Proposal
from app.urls import back_to_referrer
from app.votes import services
from app.votes.limits import account_key, limit_for

bp = Blueprint("votes", __name__)


@bp.app_template_global()
def has_supported(proposal: Proposal) -> bool:
    """Whether the signed-in participant supports `proposal` (one query, none when signed out)."""
    return services.has_supported(current_user, proposal)


@bp.app_template_global()
def support_refusal(proposal: Proposal, supported: bool = False) -> str | None:
    """Why the signed-in participant may not support `proposal` now (the per-theme limit
    included when `supported` is false), or None."""
    return services.support_refusal(current_user, proposal, supported)


@bp.route("/proposals/<int:proposal_id>/vote", methods=["POST"])
@limiter.limit(limit_for("SUPPORT_RATE_LIMIT_PER_IP"))
@limiter.limit(limit_for("SUPPORT_RATE_LIMIT"), key_func=account_key)
@login_required
def toggle(proposal_id: int):
    """Add or withdraw the signed-in participant's support."""
    proposal = get_or_404(Proposal, proposal_id, _("No existe esa propuesta."),
                          options=[joinedload(Proposal.theme)])
    if not proposal.can_view(current_user):
        abort(404)
    htmx = bool(request.headers.get("HX-Request"))
    try:
        supported = services.toggle_support(current_user, proposal, request.form.get("intent"))
    except ServiceError as error:
        db.session.rollback()
        if not htmx:
            raise
        db.session.refresh(proposal)
        return _button(proposal, error.message), error.status
    if htmx:
        # The fragment shows what this transaction wrote (the counter came back from the
        # UPDATE ... RETURNING): keep the loaded rows instead of reloading them after commit.
        commit_and_keep()
        return _button(proposal, supported=supported)
    db.session.commit()
    fallback = url_for("proposals.detail", proposal_id=proposal.id)
    return redirect(back_to_referrer(fallback), 303)


def _button(proposal: Proposal, message: str | None = None, supported: bool | None = None):
    response = current_app.make_response(
        render_template("votes/_vote_button.html", proposal=proposal, vote_message=message,
                        vote_supported=supported)
    )
    # Let htmx swap the fragment even on a refusal, so the message is shown in place.
    response.headers["HX-Reswap"] = "outerHTML"
    return response
