"""Plan cycles: which plan is current, creating the next one, its status and its timeline.

Every administrative change is written to the public transparency log (`log_change`) with
who and when. Verbs check, change and flush; they never commit or read the request.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from flask import g, has_app_context, has_request_context
from flask_babel import gettext as _
from sqlalchemy import event, select, update

from app import cache
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.models import ActionPlan, ModerationAction, PlanPhase, Theme, User
from app.models.base import utcnow
from app.models.plan import PLAN_STATUSES

GUATEMALA = ZoneInfo("America/Guatemala")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CACHE_SETTING = "CURRENT_PLAN_CACHE_SECONDS"


@dataclass(frozen=True)
class PlanSummary:
    """What every page header shows of the current plan (plain values, safe to cache)."""

    id: int
    slug: str
    title: str
    period: str
    status: str


def current_plan() -> ActionPlan | None:
    """The current plan (the one row marked `is_current`), or None before any seed."""
    return db.session.scalar(select(ActionPlan).where(ActionPlan.is_current.is_(True)))


def require_current_plan() -> ActionPlan:
    plan = current_plan()
    if plan is None:
        raise NotFound(_("Todavía no hay un plan de acción."))
    return plan


def current_summary() -> PlanSummary | None:
    """The current plan's slug, title, period and status for page headers: once per request,
    kept per process for CURRENT_PLAN_CACHE_SECONDS (0 in the tests)."""
    if has_app_context() and "current_plan_summary" in g:
        return g.current_plan_summary

    def compute() -> PlanSummary | None:
        row = db.session.execute(
            select(ActionPlan.id, ActionPlan.slug, ActionPlan.title, ActionPlan.period,
                   ActionPlan.status).where(ActionPlan.is_current.is_(True))).first()
        return PlanSummary(*row) if row else None

    summary = cache.cached(CACHE_SETTING, "current_plan", compute)
    g.current_plan_summary = summary
    return summary


@event.listens_for(ActionPlan, "load")
def _remember_current(plan: ActionPlan, _context) -> None:
    """A page that loads the current plan anyway (a theme's plan, the plan draft) gives the
    header its summary for free: one query less on every such page."""
    if plan.is_current and has_request_context() and "current_plan_summary" not in g:
        g.current_plan_summary = PlanSummary(plan.id, plan.slug, plan.title, plan.period,
                                             plan.status)


def current_plan_id_subquery():
    """The current plan's id as a scalar subquery: filters by plan in the same statement."""
    return select(ActionPlan.id).where(ActionPlan.is_current.is_(True)).scalar_subquery()


def get_plan(slug: str) -> ActionPlan:
    plan = None
    if isinstance(slug, str) and len(slug) <= 80:
        plan = db.session.scalar(select(ActionPlan).where(ActionPlan.slug == slug))
    if plan is None:
        raise NotFound(_("No existe ese plan de acción."))
    return plan


def list_plans() -> list[ActionPlan]:
    """Every plan, newest first."""
    return list(db.session.scalars(
        select(ActionPlan).order_by(ActionPlan.created_at.desc(), ActionPlan.id.desc())))


def log_change(actor: User | None, action: str, target_type: str, target_id: int,
               reason: str = "", from_status: str | None = None,
               to_status: str | None = None) -> ModerationAction:
    """One public row of the transparency log: who (`actor`), what, on what, and when."""
    entry = ModerationAction(
        moderator_id=actor.id if actor else None, action=action, target_type=target_type,
        target_id=target_id, reason=reason[:2000], from_status=from_status,
        to_status=to_status, public=True, created_at=utcnow())
    db.session.add(entry)
    return entry


def make_current(plan: ActionPlan) -> None:
    """Mark `plan` as the current one; the previous current plan becomes archived (read-only).
    The mark moves in one transaction; the unique partial index refuses a second one."""
    db.session.execute(update(ActionPlan).where(ActionPlan.is_current.is_(True),
                                                ActionPlan.id != plan.id)
                       .values(is_current=False).execution_options(synchronize_session="fetch"))
    db.session.flush()
    plan.is_current = True
    db.session.flush()
    cache.clear()  # the header, theme lists and statistics all follow the current plan
    if has_app_context():
        g.pop("current_plan_summary", None)


def _clean_line(value, limit: int, field: str, required_message: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise InvalidInput(required_message, field=field)
    if len(text) > limit:
        raise InvalidInput(_("Este campo puede tener hasta %(n)d caracteres.", n=limit),
                           field=field)
    return text


def unique_theme_slug(base: str, period: str, *, plain_first: bool = False) -> str:
    """A theme slug free across every plan (theme URLs never change): `base` itself when
    `plain_first` and free, else `base-<period>`, then `base-<period>-2`, -3..."""
    def clean(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70] or "tematica"

    def taken(slug: str) -> bool:
        return db.session.scalar(select(Theme.id).where(Theme.slug == slug)) is not None

    if plain_first and not taken(clean(base)):
        return clean(base)
    stem = clean(f"{base}-{period}")
    candidate, number = stem, 2
    while taken(candidate):
        candidate, number = f"{stem}-{number}", number + 1
    return candidate


def create_plan(admin: User, *, slug: str, title: str, period: str,
                copy_themes: bool = False) -> ActionPlan:
    """Start a new plan in `cocreation` and make it current (the previous one is archived).

    With `copy_themes`, the previous current plan's themes are copied (name, description,
    position, limits) with their proposal and voting windows closed until a moderator opens
    them. Errors: InvalidInput (field `slug`, `title` or `period`).
    """
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug) or len(slug) > 80:
        raise InvalidInput(_("Use solo minúsculas, números y guiones (hasta 80 caracteres)."),
                           field="slug")
    if db.session.scalar(select(ActionPlan.id).where(ActionPlan.slug == slug)) is not None:
        raise InvalidInput(_("Ya existe un plan con esa dirección."), field="slug")
    title = _clean_line(title, 200, "title", _("Escriba el título del plan."))
    period = _clean_line(period, 20, "period", _("Indique el período, por ejemplo 2026-2028."))
    previous = current_plan()
    plan = ActionPlan(slug=slug, title=title, period=period, status="cocreation",
                      allow_self_support=previous.allow_self_support if previous else False)
    db.session.add(plan)
    db.session.flush()
    make_current(plan)
    if copy_themes and previous is not None:
        now = utcnow()
        for theme in previous.themes:
            db.session.add(Theme(
                plan_id=plan.id, slug=unique_theme_slug(theme.slug, period), name=theme.name,
                description=theme.description, position=theme.position,
                proposals_open_at=now, proposals_close_at=now, voting_open_at=now,
                voting_close_at=now,
                max_open_proposals_per_user=theme.max_open_proposals_per_user,
                max_supports_per_user=theme.max_supports_per_user))
            db.session.flush()
    log_change(admin, "plan_created", "plan", plan.id, f"{plan.title} ({plan.period})",
               to_status=plan.status)
    db.session.flush()
    return plan


def update_plan(admin: User, plan: ActionPlan, *, title: str, period: str, intro: str,
                status: str) -> ActionPlan:
    """Change the plan's title, period, introduction and status (only the moves listed in
    PLAN_TRANSITIONS). Errors: InvalidInput naming the field (`status` for a move the table
    refuses)."""
    title = _clean_line(title, 200, "title", _("Escriba el título del plan."))
    period = _clean_line(period, 20, "period", _("Indique el período, por ejemplo 2026-2028."))
    if status not in PLAN_STATUSES:
        raise InvalidInput(_("Estado desconocido."), field="status")
    if not plan.can_move_to(status):
        from app.plans.labels import PLAN_STATUS_LABELS

        raise InvalidInput(_("El plan no puede pasar de «%(a)s» a «%(b)s».",
                             a=str(PLAN_STATUS_LABELS[plan.status]),
                             b=str(PLAN_STATUS_LABELS[status])), field="status")
    intro = str(intro or "").replace("\r\n", "\n").strip()[:20_000]
    changed = (title, period, intro) != (plan.title, plan.period, plan.intro)
    if status != plan.status:
        log_change(admin, "plan_status", "plan", plan.id, plan.title,
                   from_status=plan.status, to_status=status)
        plan.status = status
    if changed:
        plan.title, plan.period, plan.intro = title, period, intro
        log_change(admin, "plan_updated", "plan", plan.id, f"{title} ({period})")
    db.session.flush()
    cache.clear(CACHE_SETTING)
    return plan


def add_phase(admin: User, plan: ActionPlan, *, name: str, starts_on: date | None,
              ends_on: date | None, description: str = "") -> PlanPhase:
    """Publish a phase of `plan`'s timeline now (published_at = now).

    Errors: InvalidInput on `name`, `starts_on`, `ends_on` (missing, ends before it starts,
    or overlapping another phase of the plan)."""
    name = _clean_line(name, 150, "name", _("Escriba el nombre de la fase."))
    if starts_on is None:
        raise InvalidInput(_("Indique la fecha de inicio (AAAA-MM-DD)."), field="starts_on")
    if ends_on is None:
        raise InvalidInput(_("Indique la fecha de fin (AAAA-MM-DD)."), field="ends_on")
    if ends_on < starts_on:
        raise InvalidInput(_("La fase no puede terminar antes de empezar."), field="ends_on")
    overlapping = db.session.scalar(
        select(PlanPhase).where(PlanPhase.plan_id == plan.id, PlanPhase.starts_on <= ends_on,
                                PlanPhase.ends_on >= starts_on).limit(1))
    if overlapping is not None:
        raise InvalidInput(_("Las fechas se cruzan con la fase «%(name)s».",
                             name=overlapping.name), field="starts_on")
    phase = PlanPhase(plan_id=plan.id, name=name, starts_on=starts_on, ends_on=ends_on,
                      description=str(description or "").strip()[:5000],
                      published_at=utcnow())
    db.session.add(phase)
    db.session.flush()
    log_change(admin, "phase_published", "phase", phase.id,
               f"{plan.title}: {name} ({starts_on.isoformat()} – {ends_on.isoformat()})")
    return phase


def timeline(plan: ActionPlan) -> list[PlanPhase]:
    """The plan's published phases in date order."""
    return list(db.session.scalars(
        select(PlanPhase).where(PlanPhase.plan_id == plan.id,
                                PlanPhase.published_at.is_not(None))
        .order_by(PlanPhase.starts_on, PlanPhase.id)))


def local_today() -> date:
    """Today's date in Guatemala (phases are whole local days)."""
    return utcnow().astimezone(GUATEMALA).date()


def phase_on(phases: list[PlanPhase], day: date) -> PlanPhase | None:
    return next((phase for phase in phases if phase.is_on(day)), None)


def check_accepts_participation(plan: ActionPlan) -> None:
    """Refuse participation in a plan that no longer takes it (409)."""
    if not plan.accepts_participation():
        raise Conflict(_("El plan «%(title)s» está archivado: ya no recibe propuestas, apoyos "
                         "ni comentarios.", title=plan.title))
