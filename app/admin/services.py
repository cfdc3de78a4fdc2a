"""Process administration: themes (create, edit, windows, limits) and the dashboard's figures.

Windows arrive as naive local datetimes (Guatemala) and are stored as aware UTC values.
Every change is written to the public transparency log. Verbs flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import InvalidInput
from app.extensions import db
from app.models import ActionPlan, Mesa, PlanPhase, Theme, User
from app.models.base import utcnow
from app.moderation.queries import count_proposals
from app.plans import services as plans

GUATEMALA = ZoneInfo("America/Guatemala")
WINDOWS = (("proposals_open_at", "proposals_close_at"), ("voting_open_at", "voting_close_at"))


def to_local(value: datetime | None) -> datetime | None:
    """An aware datetime as the naive Guatemala time a form shows."""
    return value.astimezone(GUATEMALA).replace(tzinfo=None) if value else None


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=GUATEMALA) if value.tzinfo is None else value


def _clean_theme(data: dict) -> dict:
    """Theme fields from `data` (form data; windows naive local datetimes). InvalidInput
    names the field: a window that closes before (or when) it opens is refused."""
    name = " ".join(str(data.get("name") or "").split())
    if not name or len(name) > 150:
        raise InvalidInput(_("Escriba el nombre de la temática (hasta 150 caracteres)."),
                           field="name")
    position = data.get("position")
    if not isinstance(position, int) or not 1 <= position <= 999:
        raise InvalidInput(_("La posición debe estar entre 1 y 999."), field="position")
    cleaned = {"name": name, "position": position,
               "description": str(data.get("description") or "").strip()[:5000]}
    for opens, closes in WINDOWS:
        start, end = _aware(data.get(opens)), _aware(data.get(closes))
        if start is not None and end is not None and end <= start:
            raise InvalidInput(_("El plazo debe cerrar después de abrir."), field=closes)
        cleaned[opens], cleaned[closes] = start, end
    for limit in ("max_open_proposals_per_user", "max_supports_per_user"):
        value = data.get(limit)
        if value is not None and (not isinstance(value, int) or value < 1):
            raise InvalidInput(_("El límite debe ser un número positivo."), field=limit)
        cleaned[limit] = value
    return cleaned


def create_theme(moderator: User, plan: ActionPlan, data: dict) -> Theme:
    """A new theme of `plan` (its slug made from the name, unique across plans)."""
    cleaned = _clean_theme(data)
    from app.cli.reference import slugify

    slug = plans.unique_theme_slug(slugify(cleaned["name"])[:60], plan.period, plain_first=True)
    theme = Theme(plan_id=plan.id, slug=slug, **cleaned)
    db.session.add(theme)
    db.session.flush()
    plans.log_change(moderator, "theme_created", "theme", theme.id,
                     f"{plan.title}: {theme.name}")
    return theme


def update_theme(moderator: User, theme: Theme, data: dict) -> Theme:
    """Change a theme's name, description, position, windows and limits (logged)."""
    cleaned = _clean_theme(data)
    changed = [name for name, value in cleaned.items() if getattr(theme, name) != value]
    if not changed:
        return theme
    for name in changed:
        setattr(theme, name, cleaned[name])
    db.session.flush()
    plans.log_change(moderator, "theme_updated", "theme", theme.id,
                     f"{theme.name}: {', '.join(changed)}")
    return theme


@dataclass
class Dashboard:
    plan: ActionPlan
    phase: PlanPhase | None
    phases: list[PlanPhase]
    proposal_windows: list[Theme]
    voting_windows: list[Theme]
    upcoming: list[Mesa]
    awaiting_decision: int
    # None when the plan never had a consultation (the dashboard hides the line).
    consultation_awaiting_disposition: int | None
    # Milestones past their end date, neither completed nor withdrawn, of every plan taking
    # progress updates (not only the current one: the previous plan is still implemented).
    overdue: list = field(default_factory=list)


def consultation_awaiting_disposition(plan: ActionPlan) -> int | None:
    """Readable consultation comments of `plan` still without a disposition; None when the
    plan never had a consultation (the dashboard hides the line). Two queries at most."""
    from app.consultation import queries
    from app.consultation import services as consultation

    if consultation.latest_consultation(plan.id) is None:
        return None
    return queries.counts_by_disposition(plan.id)[queries.PENDING]


def dashboard(plan: ActionPlan) -> Dashboard:
    """What the technical table needs to see of the current plan, and the overdue
    milestones of every plan in implementation: eight queries at most."""
    from app.tracking.queries import overdue_milestones

    now = utcnow()
    phases = plans.timeline(plan)
    themes = list(db.session.scalars(
        select(Theme).where(Theme.plan_id == plan.id).order_by(Theme.position)))
    upcoming = list(db.session.scalars(
        select(Mesa).where(Mesa.plan_id == plan.id, Mesa.ends_at > now,
                           Mesa.cancelled_at.is_(None))
        .order_by(Mesa.starts_at).limit(10)))
    # From the themes' stored counters, not a count over every proposal of the plan.
    awaiting = count_proposals(plan_id=plan.id)
    return Dashboard(
        plan=plan, phase=plans.phase_on(phases, plans.local_today()), phases=phases,
        proposal_windows=[theme for theme in themes if theme.proposals_open(now)],
        voting_windows=[theme for theme in themes if theme.voting_open(now)],
        upcoming=upcoming, awaiting_decision=awaiting,
        consultation_awaiting_disposition=consultation_awaiting_disposition(plan),
        overdue=overdue_milestones())
