"""Traceability on the commitment page: `commitment_trail(commitment)` for its template."""
from __future__ import annotations

from flask import Blueprint

from app.traceability.trail import trail_of

bp = Blueprint("traceability", __name__)


@bp.app_template_global()
def commitment_trail(commitment):
    """The commitment's trail (app.traceability.trail.trail_of), for
    `traceability/_trail.html`."""
    return trail_of(commitment)


@bp.record_once
def _labels(state) -> None:
    from app.repository.forms import TYPE_LABELS

    state.app.jinja_env.globals.setdefault("TYPE_LABELS", TYPE_LABELS)
