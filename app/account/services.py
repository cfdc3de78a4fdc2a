"""Privacy verbs: a participant's own data, and erasing the account. They flush, never commit."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth import devices
from app.auth.passwords import verify_password
from app.errors import InvalidInput
from app.extensions import db
from app.mesas.services import unregister_from_mesa
from app.models import Comment, Flag, Mesa, MesaRegistration, Proposal, User, UserSession, Vote
from app.models.base import utcnow

DELETED_NAME = "Participante eliminado"
UNUSABLE_PASSWORD = "!deleted"  # noqa: S105 - not a hash: no password ever matches it


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_user_data(user: User) -> dict:
    """Everything Cocrea keeps about `user`, for them alone (no hashes, no tokens)."""
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.author_id == user.id).order_by(Proposal.id)).all()
    comments = db.session.scalars(
        select(Comment).where(Comment.author_id == user.id).order_by(Comment.id)).all()
    votes = db.session.scalars(
        select(Vote).where(Vote.user_id == user.id).order_by(Vote.id)).all()
    flags = db.session.scalars(
        select(Flag).where(Flag.user_id == user.id).order_by(Flag.id)).all()
    registrations = db.session.scalars(
        select(MesaRegistration).where(MesaRegistration.user_id == user.id)
        .order_by(MesaRegistration.id)).all()
    sessions = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id)
        .order_by(UserSession.id)).all()
    return {
        "account": {
            "id": user.id, "email": user.email, "display_name": user.display_name,
            "role": user.role, "sector": user.sector, "organization": user.organization,
            "institution": user.institution, "locale": user.locale,
            "notify_comments": user.notify_comments, "notify_replies": user.notify_replies,
            "notify_decisions": user.notify_decisions,
            "list_in_attendance": user.list_in_attendance,
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "created_at": _iso(user.created_at), "last_login_at": _iso(user.last_login_at),
        },
        "proposals": [{
            "id": p.id, "theme_id": p.theme_id, "title": p.title, "problem": p.problem,
            "cause": p.cause, "description": p.description, "contribution": p.contribution,
            "ogp_values": list(p.ogp_values or []), "lead_institution": p.lead_institution,
            "partners": p.partners, "status": p.status, "hidden": p.hidden,
            "created_at": _iso(p.created_at), "updated_at": _iso(p.updated_at),
        } for p in proposals],
        "comments": [{
            "id": c.id, "proposal_id": c.proposal_id, "parent_id": c.parent_id, "body": c.body,
            "hidden": c.hidden, "deleted": c.deleted_at is not None,
            "created_at": _iso(c.created_at),
        } for c in comments],
        "supports": [{"proposal_id": v.proposal_id, "created_at": _iso(v.created_at)}
                     for v in votes],
        "flags": [{
            "target_type": f.target_type, "target_id": f.target_id, "reason": f.reason,
            "details": f.details, "created_at": _iso(f.created_at),
        } for f in flags],
        "mesa_registrations": [{
            "mesa_id": r.mesa_id, "status": r.status, "created_at": _iso(r.created_at),
        } for r in registrations],
        "sessions": [{  # never the token (only its hash is kept, and not shown either)
            "device": s.device, "ip_network": s.ip_network, "remember": s.remember,
            "created_at": _iso(s.created_at), "last_seen_at": _iso(s.last_seen_at),
        } for s in sessions],
    }


def rename(user: User, display_name: str | None) -> None:
    """Set the public display name (shown on all the account's content); a blocked account
    keeps its name (InvalidInput on `display_name`), so it cannot disguise what it wrote."""
    name = (display_name or "").strip()
    if name == user.display_name:
        return
    if user.is_blocked:
        raise InvalidInput(_("Su cuenta está bloqueada: no puede cambiar su nombre para "
                             "mostrar."), field="display_name")
    user.display_name = name


def delete_account(user: User, password: str) -> list[MesaRegistration]:
    """Erase the person (email, name, organization); their contributions stay, anonymous.

    Their seats at mesas still to come are cancelled as by the person themselves
    (`unregister_from_mesa`): the waiting list moves up. Returns the promoted registrations,
    for the view to email. Every session of the account ends. Raises InvalidInput (field
    "password") when the password is wrong; nothing changes then.
    """
    if not verify_password(user.password_hash, password or ""):
        raise InvalidInput(_("La contraseña no es correcta."), field="password")
    promoted = release_mesa_seats(user)
    user.email = f"eliminado-{user.id}@cuenta-eliminada.invalid"
    user.display_name = DELETED_NAME
    user.organization = None
    user.institution = None
    user.blocked_reason = None
    user.locale = None
    user.password_hash = UNUSABLE_PASSWORD
    user.notify_comments = user.notify_replies = user.notify_decisions = False
    user.active = False
    user.deleted_at = utcnow()
    devices.revoke_all_sessions(user)  # every session and remember-me cookie ends now
    db.session.flush()
    return promoted


def release_mesa_seats(user: User) -> list[MesaRegistration]:
    """Cancel `user`'s registrations for mesas not yet over; returns who was promoted.

    Past mesas keep their registrations (attendance statistics rely on them).
    """
    upcoming = db.session.scalars(
        select(Mesa).join(MesaRegistration, MesaRegistration.mesa_id == Mesa.id)
        .where(MesaRegistration.user_id == user.id, Mesa.ends_at > utcnow())
        .order_by(Mesa.starts_at, Mesa.id)).all()
    promoted: list[MesaRegistration] = []
    for mesa in upcoming:
        promoted.extend(unregister_from_mesa(mesa, user).promoted)
    return promoted
