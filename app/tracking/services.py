"""Implementation tracking: naming stewards, reporting progress, following a commitment and
commenting its updates.

Verbs check, change and flush; they never read the request nor commit (the view commits
once, and the queued emails leave after the commit). Each progress update is a new row
(the timeline); the commitment's `progress` and its milestones' `status` follow the newest.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app import mail
from app.comments import services as comments
from app.database import get_or_404
from app.errors import Conflict, Forbidden, InvalidInput
from app.extensions import db
from app.models import (
    Comment,
    Commitment,
    CommitmentFollower,
    CommitmentSteward,
    MilestoneReport,
    ProgressUpdate,
    User,
)
from app.models.base import utcnow
from app.models.plan import MILESTONE_STATUSES
from app.plans import services as plans
from app.text import render_markdown
from app.urls import absolute_url

SUMMARY_MAX = 20_000
OBSTACLES_MAX = 10_000
EVIDENCE_MAX = 10
URL_MAX = 2_000
MILESTONE_FIELD = re.compile(r"^milestone-(\d{1,9})-status$")


def get_commitment(commitment_id: int) -> Commitment:
    """The commitment with its plan, milestones and stewards; NotFound otherwise."""
    return get_or_404(Commitment, commitment_id, _("No existe ese compromiso."), options=[
        joinedload(Commitment.plan), selectinload(Commitment.milestones),
        selectinload(Commitment.stewards).joinedload(CommitmentSteward.user)])


def get_update(update_id: int) -> ProgressUpdate:
    return get_or_404(ProgressUpdate, update_id, _("No existe ese reporte de avance."))


# --- stewards -----------------------------------------------------------------------------

def name_steward(admin: User, commitment: Commitment, email: str | None) -> CommitmentSteward:
    """Name the public servant with `email` steward of `commitment` (logged in public).

    InvalidInput (field `email`) for an unknown account, one that is not a public servant,
    or one already named; Forbidden for anyone but an admin."""
    if not (admin and admin.is_authenticated and admin.is_admin):
        raise Forbidden(_("Solo un administrador nombra a los responsables de un compromiso."))
    address = (email or "").strip().lower()
    if not address:
        raise InvalidInput(_("Escriba el correo de la cuenta del servidor público."),
                           field="email")
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == address))
    if user is None or not user.is_active:
        raise InvalidInput(_("No hay una cuenta activa con ese correo."), field="email")
    if not user.is_public_servant:
        raise InvalidInput(_("%(name)s no es servidor público: una administradora debe darle "
                             "ese rol primero.", name=user.display_name), field="email")
    if commitment.is_steward(user):
        raise InvalidInput(_("%(name)s ya es responsable de este compromiso.",
                             name=user.display_name), field="email")
    steward = CommitmentSteward(commitment_id=commitment.id, user_id=user.id, user=user,
                                named_by_id=admin.id, created_at=utcnow())
    db.session.add(steward)
    db.session.flush()
    db.session.expire(commitment, ["stewards"])
    plans.log_change(admin, "steward_named", "commitment", commitment.id,
                     f"{user.display_name} ({user.institution or ''})".strip())
    return steward


def remove_steward(admin: User, commitment: Commitment, user_id: int) -> None:
    """Withdraw a steward's naming (logged in public); NotFound-like InvalidInput when the
    account is not a steward of `commitment`."""
    if not (admin and admin.is_authenticated and admin.is_admin):
        raise Forbidden(_("Solo un administrador nombra a los responsables de un compromiso."))
    steward = db.session.scalar(sa.select(CommitmentSteward).where(
        CommitmentSteward.commitment_id == commitment.id, CommitmentSteward.user_id == user_id))
    if steward is None:
        raise InvalidInput(_("Esa cuenta no es responsable de este compromiso."), field="email")
    name = steward.user.display_name
    db.session.delete(steward)
    db.session.flush()
    db.session.expire(commitment, ["stewards"])
    plans.log_change(admin, "steward_removed", "commitment", commitment.id, name)


# --- progress updates ---------------------------------------------------------------------

def milestone_statuses_from(form) -> dict[str, str]:
    """{milestone id (text): status} from every `milestone-<id>-status` field of a form
    (a MultiDict or a dict); empty values are left out."""
    found = {}
    for key in form:
        match = MILESTONE_FIELD.match(key)
        value = form.get(key)
        if match and value not in (None, ""):
            found[match.group(1)] = value
    return found


def _clean_progress(progress) -> int:
    try:
        value = int(str(progress).strip())
    except (TypeError, ValueError):
        raise InvalidInput(_("Indique el avance como un número entero de 0 a 100."),
                           field="progress") from None
    if not 0 <= value <= 100:
        raise InvalidInput(_("El avance debe estar entre 0 y 100 %."), field="progress")
    return value


def _clean_text(value, limit: int, field: str, required: bool) -> str:
    text = str(value or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if required and not text:
        raise InvalidInput(_("Resuma el avance del compromiso."), field=field)
    if len(text) > limit:
        raise InvalidInput(_("El texto puede tener hasta %(n)d caracteres.", n=limit),
                           field=field)
    return text


def _clean_evidence(urls) -> list[str]:
    cleaned = []
    for url in urls or ():
        url = str(url or "").strip()
        if not url:
            continue
        parts = urlsplit(url)
        if (parts.scheme not in ("http", "https") or not parts.netloc or len(url) > URL_MAX
                or any(ch.isspace() for ch in url)):
            raise InvalidInput(_("«%(url)s» no es un enlace web (https://…).", url=url[:80]),
                               field="evidence_url")
        if url not in cleaned:
            cleaned.append(url)
    if len(cleaned) > EVIDENCE_MAX:
        raise InvalidInput(_("Adjunte hasta %(n)d enlaces de evidencia.", n=EVIDENCE_MAX),
                           field="evidence_url")
    return cleaned


def _clean_statuses(commitment: Commitment, statuses: dict) -> dict[int, str]:
    own = {milestone.id: milestone for milestone in commitment.milestones}
    cleaned: dict[int, str] = {}
    for key, status in (statuses or {}).items():
        try:
            milestone_id = int(key)
        except (TypeError, ValueError):
            milestone_id = None
        if milestone_id not in own:
            raise InvalidInput(_("El hito %(id)s no pertenece a este compromiso.", id=key),
                               field="milestones")
        if status not in MILESTONE_STATUSES:
            raise InvalidInput(_("Estado de hito desconocido: elija no iniciado, en curso, "
                                 "completado, retrasado o retirado."),
                               field=f"milestone-{milestone_id}-status")
        cleaned[milestone_id] = status
    return cleaned


def check_can_report(user: User, commitment: Commitment) -> None:
    """Forbidden (403) unless `user` is a steward of `commitment` or a moderator; Conflict
    (409) while the plan does not take progress updates (before adoption, once closed)."""
    if not commitment.can_report(user):
        raise Forbidden(_("Solo los responsables del compromiso y la moderación reportan "
                          "su avance."))
    if not commitment.plan.takes_progress_updates():
        raise Conflict(_("El plan «%(title)s» aún no fue adoptado (o ya cerró): no recibe "
                         "reportes de avance.", title=commitment.plan.title))


def post_update(user: User, commitment: Commitment, summary: str | None, progress,
                obstacles: str | None = None, evidence_urls=(),
                milestone_statuses: dict | None = None) -> ProgressUpdate:
    """Add a progress update to the commitment's timeline and email its followers.

    `progress`: 0-100 (percent); `milestone_statuses`: {milestone id: status} for any of the
    commitment's milestones (MILESTONE_STATUSES); `evidence_urls`: http(s) links.
    Forbidden (403) unless `user` is a steward or a moderator; Conflict (409) before the plan
    is adopted or after it closed; InvalidInput (fields `summary`, `progress`, `obstacles`,
    `evidence_url`, `milestones` or `milestone-<id>-status`) for bad input. Nothing is
    stored unless everything is valid."""
    check_can_report(user, commitment)
    summary = _clean_text(summary, SUMMARY_MAX, "summary", required=True)
    value = _clean_progress(progress)
    obstacles = _clean_text(obstacles, OBSTACLES_MAX, "obstacles", required=False)
    evidence = _clean_evidence(evidence_urls)
    statuses = _clean_statuses(commitment, milestone_statuses or {})
    now = utcnow()
    update = ProgressUpdate(
        commitment_id=commitment.id, commitment=commitment, author_id=user.id, author=user,
        summary=summary, summary_html=render_markdown(summary), progress=value,
        obstacles=obstacles, obstacles_html=render_markdown(obstacles) if obstacles else "",
        evidence_urls=evidence, created_at=now)
    for milestone in commitment.milestones:
        if milestone.id in statuses:
            update.milestone_reports.append(
                MilestoneReport(milestone_id=milestone.id, status=statuses[milestone.id]))
            milestone.status = statuses[milestone.id]
    db.session.add(update)
    commitment.progress = value
    commitment.last_update_at = now
    db.session.flush()
    _notify_followers(update)
    return update


def _notify_followers(update: ProgressUpdate) -> None:
    """Queue one notice per follower (not the author), each with its unsubscribe link."""
    commitment = update.commitment
    followers = db.session.scalars(
        sa.select(User).join(CommitmentFollower, CommitmentFollower.user_id == User.id)
        .where(CommitmentFollower.commitment_id == commitment.id, User.id != update.author_id))
    link = absolute_url("consultation.commitment", commitment_id=commitment.id,
                        _anchor=f"avance-{update.id}")
    for follower in followers:
        mail.queue(mail.notice(
            follower, "updates", "tracking/email/update.txt",
            lambda: _("Nuevo avance del compromiso «%(title)s»", title=commitment.title),
            update=update, commitment=commitment, link=link))


# --- following and comments ---------------------------------------------------------------

def toggle_follow(user: User, commitment: Commitment) -> bool:
    """Follow `commitment` (emails on each update) or stop; returns whether `user` follows
    it now. Forbidden when signed out or blocked."""
    if not (user and user.is_authenticated and user.is_active and not user.is_blocked):
        raise Forbidden(_("Inicie sesión para seguir un compromiso."))
    existing = db.session.scalar(sa.select(CommitmentFollower).where(
        CommitmentFollower.commitment_id == commitment.id,
        CommitmentFollower.user_id == user.id))
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False
    db.session.add(CommitmentFollower(commitment_id=commitment.id, user_id=user.id,
                                      created_at=utcnow()))
    db.session.flush()
    return True


def comment_on_update(user: User, update: ProgressUpdate, body: str | None,
                      parent_id=None) -> Comment:
    """A comment (or a reply) on a progress update, through the shared comment service.
    Forbidden for an account that may not take part; InvalidInput for an empty or too long
    body."""
    comments.check_account_can_comment(user)
    return comments.add_comment(user, update, body, parent_id, "neutral")
