"""Rules of the plan draft: commitments from proposals, numbering, milestones, versions.

Verbs flush and never commit; the view commits once.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select

from app.database import get_or_404
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.models import ActionPlan, Commitment, Milestone, PlanVersion, Proposal, Theme, User
from app.models.base import utcnow
from app.models.plan import OGP_VALUES, commitment_sources
from app.plan.serializers import plan_document

# Commitment fields a moderator edits (text), with their maximum length (None: Text).
TEXT_FIELDS = {
    "title": 200, "problem": None, "cause": None, "description": None, "contribution": None,
    "lead_institution": 200, "partners": None, "contact_name": 120, "contact_role": 120,
    "contact_email": 254,
}
MILESTONE_FIELDS = {"description": None, "deliverable": None, "responsible": 200}


def current_plan() -> ActionPlan:
    """The current plan (app/plans/services.py); NotFound before any seed."""
    from app.plans.services import require_current_plan

    return require_current_plan()


def get_commitment(commitment_id: int) -> Commitment:
    return get_or_404(Commitment, commitment_id, _("No existe ese compromiso."))


def get_milestone(milestone_id: int) -> Milestone:
    return get_or_404(Milestone, milestone_id, _("No existe ese hito."))


# --- traceability -------------------------------------------------------------------------

def merged_family(proposal: Proposal) -> list[Proposal]:
    """`proposal` and every proposal merged into it, directly or through a chain."""
    family, frontier, seen = [proposal], [proposal.id], {proposal.id}
    while frontier:
        children = db.session.scalars(
            select(Proposal).where(Proposal.merged_into_id.in_(frontier),
                                   Proposal.status == "merged")
        ).all()
        frontier = [child.id for child in children if child.id not in seen]
        seen.update(frontier)
        family.extend(child for child in children if child.id in frontier)
    return family


def commitments_of(proposal: Proposal) -> list[Commitment]:
    return list(db.session.scalars(
        select(Commitment).join(commitment_sources,
                                commitment_sources.c.commitment_id == Commitment.id)
        .where(commitment_sources.c.proposal_id == proposal.id)
        .order_by(Commitment.number)
    ))


def attach_sources(commitment: Commitment, proposals: list[Proposal]) -> None:
    present = {p.id for p in commitment.source_proposals}
    for proposal in proposals:
        if proposal.id not in present:
            commitment.source_proposals.append(proposal)
            present.add(proposal.id)
    db.session.flush()


def detach_from_plan(proposal: Proposal) -> None:
    """Withdraw a proposal (reopened) from every commitment; drop commitments left empty."""
    commitments = commitments_of(proposal)
    db.session.execute(delete(commitment_sources)
                       .where(commitment_sources.c.proposal_id == proposal.id))
    db.session.flush()
    plans = set()
    for commitment in commitments:
        db.session.refresh(commitment, ["source_proposals"])
        if not commitment.source_proposals:
            plans.add(commitment.plan_id)
            db.session.delete(commitment)
    db.session.flush()
    for plan_id in plans:
        renumber(plan_id)


def create_commitment_from(proposal: Proposal) -> Commitment:
    """Accepting: a commitment pre-filled from the proposal, with everything merged into it."""
    plan_id = proposal.theme.plan_id
    last = db.session.scalar(
        select(func.max(Commitment.number)).where(Commitment.plan_id == plan_id)) or 0
    commitment = Commitment(
        plan_id=plan_id, theme_id=proposal.theme_id, number=last + 1,
        title=proposal.title[:200], problem=proposal.problem, cause=proposal.cause,
        description=proposal.description, contribution=proposal.contribution,
        ogp_values=list(proposal.ogp_values or []),
        lead_institution=proposal.lead_institution, partners=proposal.partners,
    )
    db.session.add(commitment)
    db.session.flush()
    db.session.execute(insert(commitment_sources), [
        {"commitment_id": commitment.id, "proposal_id": p.id} for p in merged_family(proposal)
    ])
    db.session.flush()
    db.session.expire(commitment, ["source_proposals"])
    renumber(plan_id)
    return commitment


def renumber(plan_id: int, ordered_ids: list[int] | None = None) -> None:
    """Number commitments 1..n following the themes in mesa order, then their order within.

    Two passes (negative numbers first) keep the unique (plan, number) constraint satisfied
    at every flush.
    """
    rows = db.session.execute(
        select(Commitment, Theme.position).join(Theme, Commitment.theme_id == Theme.id)
        .where(Commitment.plan_id == plan_id)
    ).all()
    within = {cid: index for index, cid in enumerate(ordered_ids or [])}
    rows.sort(key=lambda row: (row[1], within.get(row[0].id, 0), row[0].number))
    for commitment, _position in rows:
        commitment.number = -commitment.id
    db.session.flush()
    for index, (commitment, _position) in enumerate(rows, start=1):
        commitment.number = index
    db.session.flush()


def move_commitment(commitment: Commitment, direction: str) -> None:
    """Move a commitment up or down among the commitments of its theme."""
    if direction not in ("up", "down"):
        raise InvalidInput(_("Indique si el compromiso sube o baja."), field="direction")
    siblings = list(db.session.scalars(
        select(Commitment).where(Commitment.plan_id == commitment.plan_id,
                                 Commitment.theme_id == commitment.theme_id)
        .order_by(Commitment.number)))
    index = siblings.index(commitment)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        raise Conflict(_("El compromiso ya está en ese extremo de su temática."))
    siblings[index], siblings[other] = siblings[other], siblings[index]
    all_ids = list(db.session.scalars(
        select(Commitment.id).where(Commitment.plan_id == commitment.plan_id)
        .order_by(Commitment.number)))
    order = [cid for cid in all_ids if cid not in {s.id for s in siblings}]
    renumber(commitment.plan_id, order + [s.id for s in siblings])


# --- editing ------------------------------------------------------------------------------

def _clean_text(data: dict, fields: dict, required: tuple[str, ...]) -> dict:
    values = {}
    for name, maximum in fields.items():
        value = (data.get(name) or "").strip()
        if name in required and not value:
            raise InvalidInput(_("Este campo es obligatorio."), field=name)
        if maximum and len(value) > maximum:
            raise InvalidInput(_("Texto demasiado largo (máximo %(n)d caracteres).", n=maximum),
                               field=name)
        values[name] = value
    return values


def _clean_dates(data: dict) -> tuple[date | None, date | None]:
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        raise InvalidInput(_("La fecha de fin no puede ser anterior a la de inicio."),
                           field="end_date")
    return start, end


def update_commitment(commitment: Commitment, data: dict) -> Commitment:
    """Apply a moderator's edit; `data` holds cleaned form values (dates as `date`)."""
    values = _clean_text(data, TEXT_FIELDS, ("title",))
    values["ogp_values"] = [v for v in OGP_VALUES if v in (data.get("ogp_values") or [])]
    values["start_date"], values["end_date"] = _clean_dates(data)
    for name, value in values.items():
        setattr(commitment, name, value)
    commitment.updated_at = utcnow()
    db.session.flush()
    return commitment


def _milestone_values(data: dict, commitment: Commitment) -> dict:
    values = _clean_text(data, MILESTONE_FIELDS, ("description",))
    values["start_date"], values["end_date"] = _clean_dates(data)
    _within_period(values["start_date"], values["end_date"], commitment)
    return values


def _within_period(start: date | None, end: date | None, commitment: Commitment) -> None:
    """A milestone's dates fall within its commitment's period (where the period is set)."""
    first, last = commitment.start_date, commitment.end_date
    for name, value in (("start_date", start), ("end_date", end)):
        if value is None:
            continue
        if first and value < first:
            raise InvalidInput(_("El compromiso empieza el %(date)s: el hito no puede ser "
                                 "anterior.", date=first.strftime("%d-%m-%Y")), field=name)
        if last and value > last:
            raise InvalidInput(_("El compromiso termina el %(date)s: el hito no puede ser "
                                 "posterior.", date=last.strftime("%d-%m-%Y")), field=name)


def add_milestone(commitment: Commitment, data: dict) -> Milestone:
    values = _milestone_values(data, commitment)
    position = max((m.position for m in commitment.milestones), default=0) + 1
    milestone = Milestone(commitment=commitment, position=position, **values)
    db.session.add(milestone)
    commitment.updated_at = utcnow()
    db.session.flush()
    return milestone


def update_milestone(milestone: Milestone, data: dict) -> Milestone:
    for name, value in _milestone_values(data, milestone.commitment).items():
        setattr(milestone, name, value)
    milestone.commitment.updated_at = utcnow()
    db.session.flush()
    return milestone


def delete_milestone(milestone: Milestone) -> Commitment:
    commitment = milestone.commitment
    db.session.delete(milestone)
    commitment.updated_at = utcnow()
    db.session.flush()
    return commitment


# --- versions -----------------------------------------------------------------------------

def publish_version(plan: ActionPlan, moderator: User, label: str = "") -> PlanVersion:
    """Freeze the current draft as the next numbered version."""
    label = (label or "").strip()
    if len(label) > 120:
        raise InvalidInput(_("La etiqueta puede tener hasta 120 caracteres."), field="label")
    number = (db.session.scalar(
        select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == plan.id)) or 0) + 1
    now = utcnow()
    version = PlanVersion(
        plan_id=plan.id, number=number, published_by_id=moderator.id, published_at=now,
        label=label or _("Borrador v%(n)d, %(date)s", n=number, date=now.strftime("%d-%m-%Y")),
        snapshot=plan_document(plan),
    )
    db.session.add(version)
    db.session.flush()
    return version


def list_versions(plan: ActionPlan) -> list[PlanVersion]:
    return list(db.session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())))


def get_version(plan: ActionPlan, number: int) -> PlanVersion:
    version = db.session.scalar(select(PlanVersion).where(
        PlanVersion.plan_id == plan.id, PlanVersion.number == number))
    if version is None:
        raise NotFound(_("No existe esa versión del plan."))
    return version


def previous_version(version: PlanVersion) -> PlanVersion | None:
    return db.session.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == version.plan_id,
                                  PlanVersion.number < version.number)
        .order_by(PlanVersion.number.desc()).limit(1))
