"""Routes of the api feature (being built in its issue)."""
from flask import Blueprint, render_template

bp = Blueprint("api", __name__)


@bp.route("/api")
def docs():
    """Placeholder page until the feature lands."""
    return render_template("main/pending.html", title="Datos abiertos")
