"""Privacy verbs: a participant's own data, and erasing the account. They flush, never commit."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.passwords import verify_password
from app.errors import InvalidInput
from app.extensions import db
from app.models import Comment, Flag, MesaRegistration, Proposal, User, Vote
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
    return {
        "account": {
            "id": user.id, "email": user.email, "display_name": user.display_name,
            "role": user.role, "sector": user.sector, "organization": user.organization,
            "institution": user.institution, "locale": user.locale,
            "notify_comments": user.notify_comments, "notify_replies": user.notify_replies,
            "notify_decisions": user.notify_decisions,
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
            "id": c.id, "proposal_id": c.proposal_id, "commitment_id": c.commitment_id,
            "parent_id": c.parent_id, "body": c.body,
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
    }


def delete_account(user: User, password: str) -> None:
    """Erase the person (email, name, organization); their contributions stay, anonymous."""
    if not verify_password(user.password_hash, password or ""):
        raise InvalidInput(_("La contraseña no es correcta."), field="password")
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
    user.rotate_session_token()  # every session and remember-me cookie ends now
    db.session.flush()
