"""Plan cycles in public: every plan (/plans), one plan (/plans/<slug>), the timeline."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import Commitment
from app.models.base import utcnow
from app.plans import services
from app.proposals.queries import theme_summaries

bp = Blueprint("plans", __name__)


@bp.app_template_global()
def current_plan_summary():
    """The current plan's slug, title, period and status (page header), or None; None too
    when the database cannot answer, so an error page still renders."""
    try:
        return services.current_summary()
    except SQLAlchemyError:
        db.session.rollback()
        return None


@bp.route("/plans")
def index():
    """Every plan, newest first, the current one marked."""
    return render_template("plans/index.html", plans=services.list_plans())


@bp.route("/plans/<slug>")
def detail(slug: str):
    """One plan: its themes, its commitments and its timeline (archived plans read-only)."""
    plan = services.get_plan(slug)
    commitments = db.session.scalars(
        select(Commitment).where(Commitment.plan_id == plan.id)
        .order_by(Commitment.number)).all()
    return render_template("plans/detail.html", plan=plan,
                           themes=theme_summaries(plan.id), commitments=commitments,
                           phases=services.timeline(plan))


@bp.route("/timeline")
def timeline():
    """The current plan's phases with their dates and when each was published."""
    plan = services.require_current_plan()
    phases = services.timeline(plan)
    today = services.local_today()
    return render_template("plans/timeline.html", plan=plan, phases=phases,
                           current=services.phase_on(phases, today), today=today,
                           now=utcnow())


@bp.record_once
def _labels(state) -> None:
    from app.plans.labels import (
        ADMIN_ACTION_LABELS,
        ADMIN_TARGETS,
        MESA_KIND_LABELS,
        PLAN_STATUS_LABELS,
    )

    state.app.jinja_env.globals.update(
        PLAN_STATUS_LABELS=PLAN_STATUS_LABELS, MESA_KIND_LABELS=MESA_KIND_LABELS,
        ADMIN_ACTION_LABELS=ADMIN_ACTION_LABELS, ADMIN_TARGETS=ADMIN_TARGETS, now_utc=utcnow)
