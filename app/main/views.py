"""Home page, health check and language switch."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select, text

from app.extensions import db
from app.models import Mesa
from app.models.base import utcnow
from app.plans.services import current_plan, current_plan_id_subquery
from app.proposals.queries import theme_summaries
from app.urls import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """What the process is, the 12 themes, and the next mesas."""
    plan = current_plan()
    upcoming = db.session.scalars(
        select(Mesa).where(Mesa.plan_id == current_plan_id_subquery(), Mesa.ends_at > utcnow(),
                           Mesa.cancelled_at.is_(None))
        .order_by(Mesa.starts_at).limit(3)
    ).all()
    return render_template("main/index.html", plan=plan, themes=theme_summaries(),
                           upcoming=upcoming)


@bp.route("/terms")
def terms():
    """Terms of use (Spanish, or English when chosen)."""
    return render_template("main/terms.html", **_legal_context())


@bp.route("/privacy")
def privacy():
    """Privacy notice: what is kept, why, how long, who sees it, how to get or erase it."""
    return render_template("main/privacy.html", **_legal_context())


def _legal_context() -> dict:
    config = current_app.config
    return {
        "contact": config["CONTACT_EMAIL"], "license": config["DATA_LICENSE"],
        "idle_hours": int(config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 3600),
        "remember_days": config["REMEMBER_COOKIE_DURATION"].days,
    }


@bp.route("/healthz")
def healthz():
    """Liveness: 200 "ok" when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        current_app.logger.exception("healthz: database check failed")
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language (kept on the account when signed in)."""
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.index")), 303)
