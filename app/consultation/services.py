"""The public consultation on the plan draft: its window, comments on commitments and the
technical table's dispositions (reasoned responses) to each of them.

Comments on commitments are ordinary comments (app/comments/services.py) owned by a
commitment; this module adds who may comment when, and the dispositions. Verbs flush and
never commit; the view commits once and the queued emails leave after it.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app import cache, mail
from app.comments import services as comments
from app.database import get_or_404
from app.errors import Conflict, Forbidden, InvalidInput
from app.extensions import db
from app.models import (
    ActionPlan,
    Comment,
    Commitment,
    CommitmentSteward,
    Consultation,
    PlanVersion,
    User,
)
from app.models.base import utcnow
from app.models.participation import DISPOSITIONS
from app.plans import services as plans
from app.templating import short_datetime
from app.text import render_markdown
from app.urls import comment_url

GUATEMALA = ZoneInfo("America/Guatemala")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
RESPONSE_MIN = 20
RESPONSE_MAX = 10_000


def get_plan(slug: str) -> ActionPlan:
    """The plan named `slug`; NotFound otherwise (app/plans/services.py)."""
    return plans.get_plan(slug)


def get_commitment(commitment_id: int) -> Commitment:
    """The commitment with its plan, theme and milestones (one query), its sources and its
    stewards (one more each)."""
    return get_or_404(Commitment, commitment_id, _("No existe ese compromiso."), options=[
        joinedload(Commitment.theme), joinedload(Commitment.milestones),
        joinedload(Commitment.plan), selectinload(Commitment.source_proposals),
        selectinload(Commitment.stewards).joinedload(CommitmentSteward.user)])


def latest_consultation(plan_id: int) -> Consultation | None:
    """The plan's newest consultation (with its version), or None: one query."""
    return db.session.scalar(
        sa.select(Consultation).where(Consultation.plan_id == plan_id)
        .options(joinedload(Consultation.version))
        .order_by(Consultation.id.desc()).limit(1))


def parse_local(value: str | None, field: str) -> datetime:
    """`YYYY-MM-DDTHH:MM` in Guatemala's time as an aware UTC datetime; InvalidInput else."""
    try:
        local = datetime.strptime((value or "").strip(), LOCAL_FORMAT)
    except ValueError:
        raise InvalidInput(_("Indique fecha y hora con el formato AAAA-MM-DDTHH:MM."),
                           field=field) from None
    return local.replace(tzinfo=GUATEMALA).astimezone(ZoneInfo("UTC"))


def open_consultation(admin: User, plan: ActionPlan, opens_at: str | None,
                      closes_at: str | None) -> Consultation:
    """Open a comment window on the plan's latest published version; the plan's status
    becomes `consultation`. InvalidInput (fields `opens_at`, `closes_at`) for bad dates,
    Conflict when no version has been published yet or the plan cannot move to
    `consultation` (PLAN_TRANSITIONS); the status change is logged in public."""
    if not (admin and admin.is_authenticated and admin.is_admin):
        raise Forbidden(_("Solo un administrador puede abrir la consulta pública."))
    if not plan.can_move_to("consultation"):
        raise Conflict(_("El plan «%(title)s» ya no puede pasar a consulta pública.",
                         title=plan.title))
    opens = parse_local(opens_at, "opens_at")
    closes = parse_local(closes_at, "closes_at")
    if closes <= opens:
        raise InvalidInput(_("El cierre debe ser posterior a la apertura."), field="closes_at")
    if closes <= utcnow():
        raise InvalidInput(_("El cierre ya pasó: elija una fecha futura."), field="closes_at")
    version = db.session.scalar(
        sa.select(PlanVersion).where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc()).limit(1))
    if version is None:
        raise Conflict(_("Publique primero una versión del borrador: la consulta se hace "
                         "sobre una versión publicada."))
    consultation = Consultation(plan_id=plan.id, version_id=version.id, version=version,
                                opens_at=opens, closes_at=closes, opened_by_id=admin.id)
    db.session.add(consultation)
    if plan.status != "consultation":
        plans.log_change(admin, "plan_status", "plan", plan.id, plan.title,
                         from_status=plan.status, to_status="consultation")
        plan.status = "consultation"
    db.session.flush()
    cache.clear(plans.CACHE_SETTING)  # page headers show the plan's status
    return consultation


def window_text(consultation: Consultation) -> str:
    """"del 01-09-2018 08:00 al 15-09-2018 18:00 (hora de Guatemala)"."""
    return _("del %(opens)s al %(closes)s (hora de Guatemala)",
             opens=short_datetime(consultation.opens_at),
             closes=short_datetime(consultation.closes_at))


def _check_window(commitment: Commitment, now: datetime | None = None) -> Consultation:
    plans.check_accepts_participation(db.session.get(ActionPlan, commitment.plan_id))
    consultation = latest_consultation(commitment.plan_id)
    if consultation is None:
        raise Conflict(_("El plan no está en consulta pública: no se reciben comentarios."))
    if not consultation.is_open(now):
        raise Conflict(_("La consulta pública recibe comentarios %(window)s.",
                         window=window_text(consultation)))
    return consultation


def comment_refusal(user: User, commitment: Commitment,
                    consultation: Consultation | None) -> str | None:
    """Why `user` may not comment on `commitment` now, or None (no query)."""
    if consultation is None or not consultation.is_open():
        return (_("La consulta pública recibe comentarios %(window)s.",
                  window=window_text(consultation)) if consultation
                else _("El plan no está en consulta pública: no se reciben comentarios."))
    try:
        comments.check_account_can_comment(user)
    except Forbidden as error:
        return error.message
    return None


def post_comment(user: User, commitment: Commitment, body: str | None,
                 alignment: str | None = None, parent_id=None) -> Comment:
    """A consultation comment (or reply) on `commitment`, while the window is open.

    Forbidden for an account that may not take part; Conflict (409) outside the window,
    its message giving the window's dates; InvalidInput for an empty or too long body or
    an unknown alignment."""
    comments.check_account_can_comment(user)
    _check_window(commitment)
    return comments.add_comment(user, commitment, body, parent_id, alignment)


def give_disposition(moderator: User, comment: Comment, disposition: str | None,
                     response: str | None) -> Comment:
    """Record how the technical table took `comment` into account, with its public
    reasoned response (20 characters at least), and email the commenter.

    A new disposition replaces the previous one. InvalidInput (fields `disposition`,
    `response`); Conflict for a hidden or deleted comment or one that is not a
    consultation comment; Forbidden for anyone but a moderator."""
    if not (moderator and moderator.is_authenticated and moderator.is_moderator):
        raise Forbidden(_("Solo la moderación responde los comentarios de la consulta."))
    if comment.commitment_id is None:
        raise Conflict(_("Solo los comentarios de la consulta reciben una respuesta razonada."))
    if not comment.is_visible:
        raise Conflict(_("Este comentario está oculto o eliminado: no recibe respuesta."))
    if disposition not in DISPOSITIONS:
        raise InvalidInput(_("Elija cómo se consideró el comentario."), field="disposition")
    response = (response or "").replace("\x00", "").strip()
    if len(response) < RESPONSE_MIN:
        raise InvalidInput(_("Escriba una respuesta razonada de al menos %(n)d caracteres.",
                             n=RESPONSE_MIN), field="response")
    if len(response) > RESPONSE_MAX:
        raise InvalidInput(_("La respuesta puede tener hasta %(n)d caracteres.", n=RESPONSE_MAX),
                           field="response")
    comment.disposition = disposition
    comment.disposition_response = response
    comment.disposition_response_html = render_markdown(response)
    comment.disposition_at = utcnow()
    comment.disposition_by_id = moderator.id
    db.session.flush()
    _notify_commenter(comment)
    return comment


def _notify_commenter(comment: Comment) -> None:
    commitment = db.session.get(Commitment, comment.commitment_id)
    link = comment_url(comment, absolute=True)
    mail.queue(mail.notice(
        comment.author, "decisions", "consultation/email/disposition.txt",
        lambda: _("Respuesta a su comentario sobre el compromiso «%(title)s»",
                  title=commitment.title),
        comment=comment, commitment=commitment, link=link))
