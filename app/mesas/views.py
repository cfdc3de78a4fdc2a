"""The co-creation working sessions (mesas)."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Mesa
from app.models.base import utcnow

bp = Blueprint("mesas", __name__)


@bp.route("/mesas")
def index():
    """The schedule of the 12 mesas, upcoming first, then past ones."""
    mesas = db.session.scalars(
        select(Mesa).options(joinedload(Mesa.theme)).order_by(Mesa.starts_at)
    ).all()
    now = utcnow()
    upcoming = [mesa for mesa in mesas if not mesa.is_past(now)]
    past = [mesa for mesa in mesas if mesa.is_past(now)]
    return render_template("mesas/index.html", upcoming=upcoming, past=past)
