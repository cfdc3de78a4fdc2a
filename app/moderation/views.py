"""Routes of the moderation feature (being built in its issue)."""
from flask import Blueprint, render_template

from app.auth.session import role_required

bp = Blueprint("moderation", __name__)


@bp.route("/moderation")
@role_required("moderator")
def queue():
    """Placeholder page until the feature lands."""
    return render_template("main/pending.html", title="Moderación")
