"""The OGP minimum requirements (contract: "OGP minimum requirements"), read from the records.

Every rule lives here, one function per requirement of the OGP Participation and Co-Creation
Standards that the platform can see. A rule reads the database (one or two queries, whatever
the amount of data) and answers an `Outcome`: `met`, `not_met` or `pending` (the platform
cannot judge yet: the period the requirement speaks of has not run its course), a sentence
saying why, and the evidence behind it as links (`Link`: an endpoint and its values, built by
the page with `url_for` and by the API with `absolute_url`).

The page `/transparency/ogp` and `GET /api/v1/ogp-requirements` both call `evaluate`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, case, exists, func, select

from app.extensions import db
from app.models import (
    ActionPlan,
    Comment,
    Commitment,
    Document,
    Mesa,
    MesaRegistration,
    PlanPhase,
    Proposal,
    Theme,
    User,
)
from app.models.base import utcnow
from app.proposals.queries import ids_with_status

MET, NOT_MET, PENDING = "met", "not_met", "pending"
STATUSES = (MET, NOT_MET, PENDING)
SIX_MONTHS = timedelta(days=183)
TIMELINE_NOTICE = timedelta(days=14)  # the timeline is public this long before the 1st mesa
IMPLEMENTATION_MEETINGS = 2
UNDECIDED = ("open", "under_review")
DECIDED = ("accepted", "merged", "rejected")
EVIDENCE_SAMPLE = 5  # unanswered items linked as evidence, at most


@dataclass(frozen=True)
class Link:
    """One piece of evidence: a page of the site (`endpoint` with `values`)."""

    label: str
    endpoint: str
    values: dict = field(default_factory=dict)
    anchor: str | None = None


@dataclass
class Outcome:
    status: str  # one of STATUSES
    reason: str  # one sentence, in the user's language
    evidence: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Requirement:
    key: str  # stable, in the API
    title: str
    standard: str  # what the OGP standard asks, in one sentence
    rule: Callable[[ActionPlan, datetime], Outcome]


REQUIREMENTS: list[Requirement] = []


def requirement(key: str, title, standard):
    """Register `rule` as the requirement `key` (a decorator; the page keeps this order)."""
    def register(rule: Callable[[ActionPlan, datetime], Outcome]):
        REQUIREMENTS.append(Requirement(key, title, standard, rule))
        return rule
    return register


def evaluate(plan: ActionPlan, now: datetime | None = None) -> list[tuple[Requirement, Outcome]]:
    """Every requirement for `plan` at `now` (default: the present), in REQUIREMENTS order.
    A constant number of queries (at most two per requirement)."""
    now = now or utcnow()
    return [(item, item.rule(plan, now)) for item in REQUIREMENTS]


def evaluate_cached(plan: ActionPlan) -> tuple[datetime, list[tuple[Requirement, Outcome]]]:
    """`(evaluated_at, evaluate(plan, evaluated_at))`, kept per plan and language for
    TRANSPARENCY_CACHE_SECONDS (as /transparency's statistics): two rules still read an index
    entry per proposal or document (`proposal_counts`, `repository_updated`), and the
    requirements speak in months."""
    from flask_babel import get_locale

    from app import cache

    def compute():
        now = utcnow()
        return now, evaluate(plan, now)

    return cache.cached("TRANSPARENCY_CACHE_SECONDS", ("ogp", plan.id, str(get_locale())),
                        compute)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands aggregates back as naive UTC values (no column type to re-attach it).
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _young(plan: ActionPlan, now: datetime) -> bool:
    """The plan's process began less than six months ago (a six-month rule cannot fail yet)."""
    return _aware(plan.created_at) > now - SIX_MONTHS


def meeting_links(mesa: Mesa, plan: ActionPlan) -> list[Link]:
    """A meeting as evidence: its row on /mesas (current plan) and its documents."""
    day = mesa.starts_at.date().isoformat()
    links = []
    if plan.is_current and mesa.plan_id == plan.id:
        links.append(Link(_("Reunión del %(date)s: %(title)s", date=day,
                            title=mesa.display_title), "mesas.index", anchor=f"mesa-{mesa.id}"))
    links.append(Link(_("Documentos de la reunión del %(date)s", date=day),
                      "repository.index", {"mesa": mesa.id}))
    return links


def _day(value: datetime) -> str:
    return value.date().isoformat()


# --- the requirements -----------------------------------------------------------------------

@requirement("forum_meeting", _l("El foro multiactor se reúne"),
             _l("Una reunión del foro multiactor en los últimos 6 meses."))
def forum_meeting(plan: ActionPlan, now: datetime) -> Outcome:
    """met: a forum meeting (of any plan: the forum stands) began in the last six months and
    was not cancelled; pending: none yet, and the plan's process is younger than six months;
    not_met otherwise. Evidence: that meeting, or the last one and the next one."""
    held = select(Mesa).where(Mesa.kind == "forum", Mesa.cancelled_at.is_(None))
    last = db.session.scalar(held.where(Mesa.starts_at <= now)
                             .order_by(Mesa.starts_at.desc()).limit(1))
    if last is not None and _aware(last.starts_at) >= now - SIX_MONTHS:
        return Outcome(MET, _("El foro se reunió el %(date)s.", date=_day(last.starts_at)),
                       meeting_links(last, plan))
    upcoming = db.session.scalar(held.where(Mesa.starts_at > now)
                                 .order_by(Mesa.starts_at).limit(1))
    evidence = [*(meeting_links(last, plan) if last else ()),
                *(meeting_links(upcoming, plan) if upcoming else ())]
    if _young(plan, now):
        reason = _("El proceso comenzó hace menos de 6 meses y el foro aún no se ha reunido.")
        return Outcome(PENDING, reason, evidence)
    if last is None:
        return Outcome(NOT_MET, _("No hay registro de reuniones del foro."), evidence)
    reason = _("La última reunión del foro fue el %(date)s, hace más de 6 meses.",
               date=_day(last.starts_at))
    return Outcome(NOT_MET, reason, evidence)


@requirement("timeline_published", _l("Cronograma publicado a tiempo"),
             _l("El cronograma del proceso se publica al menos 14 días antes de la primera "
                "mesa de co-creación."))
def timeline_published(plan: ActionPlan, now: datetime) -> Outcome:
    """met: the plan's timeline was first published (its earliest `published_at`) at least
    14 days before its first co-creation mesa not cancelled; pending: no such mesa yet, or
    the timeline may still be published in time; not_met otherwise."""
    published = _aware(db.session.scalar(
        select(func.min(PlanPhase.published_at)).where(PlanPhase.plan_id == plan.id)))
    first_mesa = db.session.scalar(
        select(Mesa).where(Mesa.plan_id == plan.id, Mesa.kind == "cocreation",
                           Mesa.cancelled_at.is_(None))
        .order_by(Mesa.starts_at).limit(1))
    evidence = [Link(_("Cronograma del plan"), "plans.detail", {"slug": plan.slug})]
    if plan.is_current:
        evidence.append(Link(_("Cronograma del proceso"), "plans.timeline"))
    if first_mesa is None:
        return Outcome(PENDING, _("Todavía no hay mesas de co-creación programadas."),
                       evidence)
    evidence += meeting_links(first_mesa, plan)
    deadline = _aware(first_mesa.starts_at) - TIMELINE_NOTICE
    mesa_day = _day(first_mesa.starts_at)
    if published is not None and published <= deadline:
        reason = _("Publicado el %(published)s; la primera mesa fue el %(mesa)s.",
                   published=_day(published), mesa=mesa_day)
        return Outcome(MET, reason, evidence)
    if published is None and now <= deadline:
        reason = _("Debe publicarse a más tardar el %(date)s.", date=_day(deadline))
        return Outcome(PENDING, reason, evidence)
    if published is None:
        reason = _("No se publicó 14 días antes de la primera mesa (%(mesa)s).",
                   mesa=mesa_day)
        return Outcome(NOT_MET, reason, evidence)
    reason = _("Publicado el %(published)s, menos de 14 días antes de la primera mesa "
               "(%(mesa)s).", published=_day(published), mesa=mesa_day)
    return Outcome(NOT_MET, reason, evidence)


@requirement("repository_updated", _l("Repositorio al día"),
             _l("El repositorio público del proceso se actualiza al menos cada 6 meses."))
def repository_updated(plan: ActionPlan, now: datetime) -> Outcome:
    """met: a document was filed (and is still public) in the last six months; pending: none
    yet, and the plan's process is younger than six months; not_met otherwise. The newest
    public document is one step of ix_documents_created."""
    latest = db.session.scalar(select(Document).where(Document.withdrawn_at.is_(None))
                               .order_by(Document.created_at.desc()).limit(1))
    evidence = [Link(_("Repositorio del proceso"), "repository.index")]
    if latest is not None:
        evidence.append(Link(latest.title, "repository.download",
                             {"document_id": latest.id, "filename": latest.original_filename}))
        filed = _aware(latest.created_at)
        if filed >= now - SIX_MONTHS:
            reason = _("Último documento publicado el %(date)s.", date=_day(filed))
            return Outcome(MET, reason, evidence)
    if _young(plan, now):
        return Outcome(PENDING, _("El proceso comenzó hace menos de 6 meses."), evidence)
    if latest is None:
        return Outcome(NOT_MET, _("El repositorio no tiene documentos."), evidence)
    return Outcome(NOT_MET, _("El último documento se publicó hace más de 6 meses."),
                   evidence)


def proposal_counts(plan: ActionPlan) -> tuple[int, int, list[int]]:
    """(undecided, decided without a response, ids of a few of them) for the plan's visible
    proposals. Hidden proposals are answered by their moderation reason. Two queries at most.

    No query reads every proposal of the plan: the visible ones are the themes' stored
    `proposal_count` (app/proposals/counters.py), the decided ones come through
    `ids_with_status` (one index entry per decided proposal), and the undecided are the
    difference (statuses are either, by the check constraint).
    """
    of_plan = and_(Proposal.theme_id == Theme.id, Theme.plan_id == plan.id,
                   Proposal.hidden.is_(False))
    unanswered = and_(Proposal.status.in_(DECIDED),
                      func.coalesce(func.trim(Proposal.response), "") == "")
    visible_total = (select(func.coalesce(func.sum(Theme.proposal_count), 0))
                     .where(Theme.plan_id == plan.id).scalar_subquery())
    visible, decided, silent = db.session.execute(
        select(visible_total, func.count(Proposal.id),
               func.count(case((func.coalesce(func.trim(Proposal.response), "") == "", 1))))
        .select_from(Proposal).join(Theme, Theme.id == Proposal.theme_id)
        .where(Proposal.id.in_(ids_with_status(DECIDED)), of_plan)).one()
    undecided = visible - decided
    sample: list[int] = []
    if undecided or silent:
        waiting = Proposal.status.in_(UNDECIDED) | unanswered
        if not undecided:  # only silent decisions: look among the decided ones
            waiting = and_(unanswered, Proposal.id.in_(ids_with_status(DECIDED)))
        sample = list(db.session.scalars(
            select(Proposal.id).join(Theme, Theme.id == Proposal.theme_id)
            .where(of_plan, waiting).order_by(Proposal.id).limit(EVIDENCE_SAMPLE)))
    return undecided, silent, sample


def consultation_pending(plan: ActionPlan) -> int:
    """Readable consultation comments on the plan's commitments still without a disposition
    (one query). Hidden or deleted comments need none."""
    return db.session.scalar(
        select(func.count()).select_from(Comment)
        .join(Commitment, Commitment.id == Comment.commitment_id)
        .where(Commitment.plan_id == plan.id, Comment.hidden.is_(False),
               Comment.deleted_at.is_(None), Comment.disposition.is_(None))) or 0


@requirement("reasoned_response", _l("Respuesta razonada a cada aporte"),
             _l("Cada propuesta recibe una decisión y cada comentario de la consulta una "
                "respuesta razonada."))
def reasoned_response(plan: ActionPlan, now: datetime) -> Outcome:
    """met: every visible proposal of the plan is decided with a reasoned response and every
    readable consultation comment has its disposition; pending: what still waits may wait
    (proposals while the plan is in co-creation, consultation comments until the plan is
    adopted); not_met: a decision without its response, or anything still waiting after
    that. Evidence: the public decision log, the consultation report, the first proposals
    still waiting. Three queries at most."""
    undecided, silent, sample = proposal_counts(plan)
    comments = consultation_pending(plan)
    evidence = [Link(_("Registro público de decisiones"), "transparency.index")]
    if plan.is_current:
        evidence.append(Link(_("Informe de respuestas de la consulta"), "consultation.report"))
        if comments:
            evidence.append(Link(_("Comentarios de la consulta sin respuesta"),
                                 "consultation.report", {"disposition": "pending"}))
    evidence += [Link(_("Propuesta #%(id)d", id=proposal_id), "proposals.detail",
                      {"proposal_id": proposal_id}) for proposal_id in sample]
    if not (undecided or silent or comments):
        reason = _("Todas las propuestas tienen una decisión con su respuesta razonada y todos "
                   "los comentarios de la consulta, su respuesta.")
        return Outcome(MET, reason, evidence)
    parts = []
    if silent:
        parts.append(ngettext("%(num)d decisión no tiene respuesta razonada.",
                              "%(num)d decisiones no tienen respuesta razonada.", silent))
    if undecided:
        parts.append(ngettext("%(num)d propuesta espera decisión.",
                              "%(num)d propuestas esperan decisión.", undecided))
    if comments:
        parts.append(ngettext("%(num)d comentario de la consulta espera respuesta.",
                              "%(num)d comentarios de la consulta esperan respuesta.",
                              comments))
    overdue = (silent or (undecided and plan.status != "cocreation")
               or (comments and plan.status not in ("cocreation", "consultation")))
    parts.append(_("El plazo para responder ya pasó.") if overdue
                 else _("Todavía están a tiempo de responderse."))
    return Outcome(NOT_MET if overdue else PENDING, " ".join(parts), evidence)


@requirement("implementation_meetings", _l("Reuniones de implementación con sociedad civil"),
             _l("Al menos dos reuniones de implementación con la sociedad civil durante la "
                "implementación del plan."))
def implementation_meetings(plan: ActionPlan, now: datetime) -> Outcome:
    """met: at least two implementation meetings of the plan, held and not cancelled, each
    attended (attendance marked) by at least one person of civil society; not_met: fewer
    once the plan is closed; pending: fewer while implementation has not ended."""
    civil_society = exists().where(
        MesaRegistration.mesa_id == Mesa.id, MesaRegistration.attended.is_(True),
        MesaRegistration.user_id == User.id, User.sector == "sociedad_civil")
    meetings = list(db.session.scalars(
        select(Mesa).where(Mesa.plan_id == plan.id, Mesa.kind == "implementation",
                           Mesa.cancelled_at.is_(None), Mesa.starts_at <= now, civil_society)
        .order_by(Mesa.starts_at)))
    evidence = [link for mesa in meetings for link in meeting_links(mesa, plan)]
    held = len(meetings)
    if held >= IMPLEMENTATION_MEETINGS:
        reason = _("%(count)d reuniones de implementación con asistencia de la sociedad "
                   "civil.", count=held)
        return Outcome(MET, reason, evidence)
    if plan.status == "closed":
        reason = ngettext(
            "El plan cerró con %(num)d reunión de implementación con la sociedad civil.",
            "El plan cerró con %(num)d reuniones de implementación con la sociedad civil.",
            held)
        return Outcome(NOT_MET, reason, evidence)
    if plan.status != "implementation":
        reason = _("La implementación del plan todavía no ha comenzado.")
        return Outcome(PENDING, reason, evidence)
    reason = _("%(count)d de %(needed)d reuniones hasta ahora; la implementación continúa.",
               count=held, needed=IMPLEMENTATION_MEETINGS)
    return Outcome(PENDING, reason, evidence)
