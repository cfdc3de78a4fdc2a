"""Traceability: the trail of a commitment, as its own page and as the fragment the
commitment page loads (htmx) below the commitment."""
from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.database import get_or_404
from app.models import Commitment
from app.traceability.trail import trail_of

bp = Blueprint("traceability", __name__)


@bp.route("/plan/commitments/<int:commitment_id>/trail")
def trail(commitment_id: int):
    """The commitment's trail back to its proposals, decisions, mesas and documents; the
    fragment alone for htmx. Six queries whatever the size of the record; 404 when unknown."""
    # Its theme, and so its plan (which gives the page header the current plan for free).
    commitment = get_or_404(Commitment, commitment_id, _("No existe ese compromiso."),
                            options=[joinedload(Commitment.theme)])
    record = trail_of(commitment)
    if request.headers.get("HX-Request"):
        response = make_response(render_template("traceability/_trail.html", trail=record))
    else:
        response = make_response(render_template("traceability/trail.html", trail=record,
                                                 commitment=commitment))
    response.vary.add("HX-Request")
    return response


@bp.record_once
def _labels(state) -> None:
    from app.repository.forms import TYPE_LABELS

    state.app.jinja_env.globals.setdefault("TYPE_LABELS", TYPE_LABELS)
