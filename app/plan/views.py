"""Routes of the plan feature (being built in its issue)."""
from flask import Blueprint, render_template

bp = Blueprint("plan", __name__)


@bp.route("/plan")
def index():
    """Placeholder page until the feature lands."""
    return render_template("main/pending.html", title="Borrador del plan de acción")
