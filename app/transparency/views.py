"""Routes of the transparency feature (being built in its issue)."""
from flask import Blueprint, render_template

bp = Blueprint("transparency", __name__)


@bp.route("/transparency")
def index():
    """Placeholder page until the feature lands."""
    return render_template("main/pending.html", title="Transparencia")
