"""Every moderation rule: flags, hiding, blocking and the proposal status machine.

Verbs flush and never commit; the view commits once and then sends the emails.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.auth import devices
from app.database import MAX_ID, get_or_404
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.extensions import db
from app.models import Comment, Flag, ModerationAction, Proposal, User
from app.models.base import utcnow
from app.models.moderation import FLAG_REASONS
from app.models.plan import commitment_sources
from app.plan import services as plan
from app.proposals import counters
from app.text import render_markdown

# Automatic hiding (README, "Moderating"): open reports are weighed by who made them, and
# content is hidden pending review once their weight reaches AUTO_HIDE_WEIGHT. A report weighs
# 1 from an account with a confirmed email at least FULL_WEIGHT_AGE old (and from moderators),
# 0.5 from a confirmed account at least HALF_WEIGHT_AGE old, 0 otherwise: freshly made accounts
# cannot silence anyone. Decided proposals, sources of the plan and answers of public servants
# (and moderators) are never hidden automatically: their reports only reach the queue.
AUTO_HIDE_WEIGHT = 3.0
FULL_WEIGHT_AGE = timedelta(days=7)
HALF_WEIGHT_AGE = timedelta(days=1)
RESPONSE_MIN = 20
RESPONSE_MAX = 10_000
REASON_MAX = 2_000
DECIDED = ("accepted", "merged", "rejected")
# The status machine: from each status, where a moderator may take a proposal.
TRANSITIONS = {
    "open": {"under_review", "accepted", "merged", "rejected"},
    "under_review": {"accepted", "merged", "rejected", "open"},
    "accepted": {"open", "under_review"},
    "merged": {"open", "under_review"},
    "rejected": {"open", "under_review"},
}
NEEDS_RESPONSE = {"accepted", "merged", "rejected"}


@dataclass
class FlagResult:
    flag: Flag
    auto_hidden: bool


def _log(moderator: User | None, action: str, target_type: str, target_id: int, reason: str = "",
         from_status: str | None = None, to_status: str | None = None,
         public: bool = True) -> ModerationAction:
    entry = ModerationAction(
        moderator_id=moderator.id if moderator else None, action=action,
        target_type=target_type, target_id=target_id, reason=reason,
        from_status=from_status, to_status=to_status, public=public,
    )
    db.session.add(entry)
    return entry


def get_target(target_type: str, target_id: int) -> Proposal | Comment:
    model = {"proposal": Proposal, "comment": Comment}.get(target_type)
    target = db.session.get(model, target_id) if model else None
    if target is None or getattr(target, "deleted_at", None) is not None:
        raise NotFound(_("No existe ese contenido."))
    return target


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Indique el motivo."), field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("El motivo puede tener hasta %(n)d caracteres.", n=REASON_MAX),
                           field="reason")
    return reason


# --- flags --------------------------------------------------------------------------------

def flag_content(user: User, target_type: str, target_id: int, reason: str,
                 details: str = "", require_confirmation: bool = False) -> FlagResult:
    """Report content once per account; the third open report hides it pending review."""
    target = get_target(target_type, target_id)
    if not user.is_moderator and (target.hidden or not _proposal_of(target).can_view(user)):
        raise NotFound(_("No existe ese contenido."))
    if not user.can_participate(require_confirmation):
        raise Forbidden(_("Su cuenta no puede reportar contenido."))
    if reason not in FLAG_REASONS:
        raise InvalidInput(_("Elija un motivo del reporte."), field="reason")
    details = (details or "").strip()
    if len(details) > REASON_MAX:
        raise InvalidInput(_("Los detalles pueden tener hasta %(n)d caracteres.", n=REASON_MAX),
                           field="details")
    if getattr(target, "author_id", None) == user.id:
        raise Conflict(_("No puede reportar su propio contenido."))
    already = db.session.scalar(select(Flag.id).where(
        Flag.target_type == target_type, Flag.target_id == target_id, Flag.user_id == user.id))
    if already is not None:
        raise Conflict(_("Ya reportó este contenido; la mesa técnica lo revisará."))
    flag = Flag(target_type=target_type, target_id=target_id, user_id=user.id, reason=reason,
                details=details)
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError:  # the same account, twice at the same moment
        raise Conflict(_("Ya reportó este contenido; la mesa técnica lo revisará.")) from None
    auto_hidden = False
    open_flags, weight = _open_reports(target_type, target_id)
    if weight >= AUTO_HIDE_WEIGHT and not target.hidden and may_hide_automatically(target):
        _hide(target, _("Oculto automáticamente: %(n)d reportes de distintas cuentas, pendiente "
                        "de revisión por la mesa técnica.", n=open_flags))
        _log(None, "auto_hide", target_type, target_id, target.hidden_reason)
        auto_hidden = True
    db.session.flush()
    return FlagResult(flag, auto_hidden)


def report_weight(reporter: User, now: datetime | None = None) -> float:
    """What one report of `reporter` counts towards automatic hiding: 0, 0.5 or 1."""
    if reporter.is_moderator:
        return 1.0
    if reporter.email_confirmed_at is None or reporter.created_at is None:
        return 0.0
    age = (now or utcnow()) - reporter.created_at
    if age >= FULL_WEIGHT_AGE:
        return 1.0
    return 0.5 if age >= HALF_WEIGHT_AGE else 0.0


def _open_reports(target_type: str, target_id: int) -> tuple[int, float]:
    """(reporting accounts, their summed weight) over the open reports of one target."""
    reporters = db.session.scalars(
        select(User).join(Flag, Flag.user_id == User.id).where(
            Flag.target_type == target_type, Flag.target_id == target_id,
            Flag.resolved_at.is_(None))).unique().all()
    now = utcnow()
    return len(reporters), sum(report_weight(user, now) for user in reporters)


def may_hide_automatically(target: Proposal | Comment) -> bool:
    """False for what only a moderator may hide: a decided proposal, a source of the plan,
    an answer of a public servant or a moderator (and the pinned official answer)."""
    if isinstance(target, Proposal):
        if target.status in DECIDED:
            return False
        source = db.session.scalar(select(commitment_sources.c.proposal_id).where(
            commitment_sources.c.proposal_id == target.id).limit(1))
        return source is None
    author = db.session.get(User, target.author_id)
    if author is not None and (author.is_public_servant or author.is_moderator):
        return False
    return not target.pinned


def _proposal_of(target: Proposal | Comment) -> Proposal:
    if isinstance(target, Proposal):
        return target
    return db.session.get(Proposal, target.proposal_id)


def _resolve_flags(target_type: str, target_id: int, resolution: str) -> int:
    result = db.session.execute(
        update(Flag).where(Flag.target_type == target_type, Flag.target_id == target_id,
                           Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolution=resolution)
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def dismiss_flags(moderator: User, target_type: str, target_id: int) -> int:
    """The reports were unfounded: close them, and show again what they hid automatically."""
    target = get_target(target_type, target_id)
    count = _resolve_flags(target_type, target_id, "dismissed")
    if not count:
        raise Conflict(_("Este contenido no tiene reportes pendientes."))
    _log(moderator, "dismiss_flags", target_type, target_id,
         _("%(n)d reportes descartados", n=count), public=False)
    if target.hidden and _last_hide(target_type, target_id) == "auto_hide":
        restore_content(moderator, target_type, target_id,
                        _("Los reportes no se confirmaron; el contenido vuelve a mostrarse."))
    db.session.flush()
    return count


def _last_hide(target_type: str, target_id: int) -> str | None:
    return db.session.scalar(
        select(ModerationAction.action).where(
            ModerationAction.target_type == target_type, ModerationAction.target_id == target_id,
            ModerationAction.action.in_(("hide", "auto_hide")))
        .order_by(ModerationAction.id.desc()).limit(1))


# --- hiding -------------------------------------------------------------------------------

def _set_hidden(target: Proposal | Comment, hidden: bool) -> bool:
    """Hide or show `target` and move the public counters with it, in this transaction
    (app/proposals/counters.py); returns whether its visibility changed."""
    if isinstance(target, Proposal):
        return counters.set_proposal_hidden(target, hidden)
    return counters.set_comment_hidden(target, hidden)


def _hide(target: Proposal | Comment, reason: str) -> None:
    _set_hidden(target, True)
    target.hidden_reason = reason


def hide_content(moderator: User, target_type: str, target_id: int, reason: str):
    target = get_target(target_type, target_id)
    reason = _required_reason(reason)
    if target.hidden and not _has_open_flags(target_type, target_id):
        raise Conflict(_("Este contenido ya está oculto."))
    _hide(target, reason)
    _resolve_flags(target_type, target_id, "upheld")
    _log(moderator, "hide", target_type, target_id, reason)
    db.session.flush()
    return target


def restore_content(moderator: User, target_type: str, target_id: int, reason: str = ""):
    target = get_target(target_type, target_id)
    if not target.hidden:
        raise Conflict(_("Este contenido no está oculto."))
    _set_hidden(target, False)
    target.hidden_reason = None
    _resolve_flags(target_type, target_id, "dismissed")
    _log(moderator, "restore", target_type, target_id,
         (reason or "").strip()[:REASON_MAX] or _("Contenido restablecido tras revisión."))
    db.session.flush()
    return target


def _has_open_flags(target_type: str, target_id: int) -> bool:
    return db.session.scalar(select(func.count(Flag.id)).where(
        Flag.target_type == target_type, Flag.target_id == target_id,
        Flag.resolved_at.is_(None))) > 0


# --- blocking -----------------------------------------------------------------------------

def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound(_("No existe esa cuenta."))
    return user


def block_user(moderator: User, user: User, reason: str) -> User:
    """The participant may no longer post, support or comment; their content stays.

    Every session of the account ends (on every device), so the block takes effect now.
    """
    reason = _required_reason(reason)
    if user.id == moderator.id:
        raise Conflict(_("No puede bloquear su propia cuenta."))
    if user.is_moderator and not moderator.is_admin:
        raise Forbidden(_("Solo un administrador puede bloquear a un moderador."))
    if user.is_blocked:
        raise Conflict(_("Esta cuenta ya está bloqueada."))
    user.blocked_reason = reason
    devices.revoke_all_sessions(user)
    _log(moderator, "block", "user", user.id, reason, public=False)
    db.session.flush()
    return user


def unblock_user(admin: User, user: User) -> User:
    if not admin.is_admin:
        raise Forbidden(_("Solo un administrador puede desbloquear cuentas."))
    if not user.is_blocked:
        raise Conflict(_("Esta cuenta no está bloqueada."))
    user.blocked_reason = None
    _log(admin, "unblock", "user", user.id, "", public=False)
    db.session.flush()
    return user


# --- decisions (the status machine) -------------------------------------------------------

def get_proposal(proposal_id: int) -> Proposal:
    return get_or_404(Proposal, proposal_id, _("No existe esa propuesta."))


def _merge_target(proposal: Proposal, merge_into) -> Proposal:
    try:
        target_id = int(str(merge_into).strip().lstrip("#"))
    except (TypeError, ValueError):
        raise InvalidInput(_("Indique el número de la propuesta con la que se fusiona."),
                           field="merge_into") from None
    if not 0 < target_id <= MAX_ID:
        raise InvalidInput(_("No existe la propuesta #%(id)d.", id=target_id), field="merge_into")
    if target_id == proposal.id:
        raise InvalidInput(_("Una propuesta no puede fusionarse consigo misma."),
                           field="merge_into")
    target = db.session.get(Proposal, target_id)
    if target is None or target.hidden:
        raise InvalidInput(_("No existe la propuesta #%(id)d.", id=target_id), field="merge_into")
    if target.status in ("merged", "rejected"):
        raise InvalidInput(_("La propuesta #%(id)d está fusionada o no incluida; elija otra.",
                             id=target_id), field="merge_into")
    return target


def decide_proposal(moderator: User, proposal: Proposal, status: str, response: str = "",
                    merge_into=None) -> ModerationAction:
    """Move a proposal along the status machine, with its public reasoned response."""
    if status not in TRANSITIONS:
        raise InvalidInput(_("Estado desconocido."), field="status")
    current = proposal.status
    if status not in TRANSITIONS[current]:
        raise Conflict(_("No se puede pasar de «%(old)s» a «%(new)s».", old=current, new=status))
    response = (response or "").strip()
    reopening = current in DECIDED
    if (status in NEEDS_RESPONSE or reopening) and len(response) < RESPONSE_MIN:
        raise InvalidInput(_("Escriba una respuesta razonada de al menos %(n)d caracteres.",
                             n=RESPONSE_MIN), field="response")
    if len(response) > RESPONSE_MAX:
        raise InvalidInput(_("La respuesta puede tener hasta %(n)d caracteres.", n=RESPONSE_MAX),
                           field="response")
    target = _merge_target(proposal, merge_into) if status == "merged" else None
    if target is not None and proposal.id in {p.id for p in plan.merged_family(target)}:
        raise InvalidInput(_("La propuesta #%(id)d ya está fusionada en esta.", id=target.id),
                           field="merge_into")

    if reopening:
        plan.detach_from_plan(proposal)
        proposal.merged_into_id = None
    proposal.status = status
    if response:
        proposal.response = response
        proposal.response_html = render_markdown(response)
    proposal.decided_at = utcnow()
    proposal.decided_by_id = moderator.id
    db.session.flush()
    if status == "accepted":
        plan.create_commitment_from(proposal)
    elif status == "merged":
        proposal.merged_into_id = target.id
        db.session.flush()
        for commitment in plan.commitments_of(target):
            plan.attach_sources(commitment, plan.merged_family(proposal))
    entry = _log(moderator, "decision", "proposal", proposal.id, response, current, status)
    db.session.flush()
    return entry
