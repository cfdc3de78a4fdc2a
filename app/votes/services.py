"""Supports: every rule of `toggle_support`, and counters kept exact by the database.

The stored `proposals.vote_count` only ever changes by `vote_count + 1` / `vote_count - 1`
in the same transaction as the row that justifies it (an INSERT that really inserted, a
DELETE that really deleted), so concurrent toggles can never lose or double-count a support.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from app.errors import Conflict, Forbidden, ServiceError
from app.extensions import db
from app.models import Proposal, User, Vote
from app.models.base import utcnow
from app.plans.services import check_accepts_participation
from app.proposals.counters import bump_counter

SUPPORT = "support"
WITHDRAW = "withdraw"


def _insert(table):
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database {dialect}")  # pragma: no cover


def has_supported(user, proposal: Proposal) -> bool:
    if not (user and user.is_authenticated):
        return False
    return db.session.scalar(
        sa.select(sa.literal(True)).where(Vote.user_id == user.id,
                                          Vote.proposal_id == proposal.id)
    ) is not None


def check_can_support(user, proposal: Proposal) -> None:
    """Raise the reason why `user` may not change a support on `proposal` now."""
    require = current_app.config.get("REQUIRE_EMAIL_CONFIRMATION", False)
    if not (user and user.is_authenticated):
        raise Forbidden(_("Inicie sesión para apoyar propuestas."))
    if not user.can_participate(require):
        if user.is_active and not user.is_blocked:
            raise Forbidden(_("Confirme su correo electrónico para apoyar propuestas."))
        raise Forbidden(_("Su cuenta no puede apoyar propuestas."))
    if proposal.hidden:
        raise Conflict(_("Esta propuesta fue ocultada por la moderación y no admite apoyos."))
    check_accepts_participation(proposal.theme.plan)
    if proposal.status != "open":
        raise Conflict(_("Esta propuesta ya no está abierta: no admite más apoyos."))
    theme = proposal.theme
    now = utcnow()
    if not theme.voting_open(now):
        if theme.voting_open_at is not None and now < theme.voting_open_at:
            raise Conflict(_("La votación de esta temática abre el %(when)s.",
                             when=format_datetime(theme.voting_open_at, "dd-MM-y HH:mm")))
        raise Conflict(_("La votación de esta temática ya cerró."))
    if proposal.author_id == user.id and not theme.plan.allow_self_support:
        raise Forbidden(_("No puede apoyar su propia propuesta."))


def toggle_support(user: User, proposal: Proposal, intent: str | None = None) -> bool:
    """Add or withdraw `user`'s support; returns whether the user supports it afterwards.

    `intent` ("support"/"withdraw") makes a repeated submission (double click, back button)
    idempotent; without it the support is toggled.
    """
    check_can_support(user, proposal)
    if intent not in (None, SUPPORT, WITHDRAW):
        intent = None
    if intent != SUPPORT and _withdraw(user, proposal):
        return False
    if intent == WITHDRAW:
        return False
    _support(user, proposal)
    return True


def _withdraw(user: User, proposal: Proposal) -> bool:
    deleted = db.session.execute(
        sa.delete(Vote.__table__).where(Vote.__table__.c.user_id == user.id,
                                        Vote.__table__.c.proposal_id == proposal.id)
    ).rowcount
    if deleted:
        bump_counter(Proposal.__table__.c.vote_count, proposal, -deleted)
    return bool(deleted)


def withdrawable_supports(user: User, theme_id: int) -> int:
    """How many of `user`'s supports in the theme can still be withdrawn: those on proposals
    that are open and visible (the theme's voting window is the same for all of them). A
    support on a proposal later hidden, decided or merged stays, but no longer uses up the
    per-theme limit: the participant could not take it back to give another."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Vote)
        .join(Proposal, Proposal.id == Vote.proposal_id)
        .where(Vote.user_id == user.id, Proposal.theme_id == theme_id,
               Proposal.status == "open", Proposal.hidden.is_(False))
    ) or 0


def check_support_limit(user: User, proposal: Proposal) -> None:
    """Raise Conflict when `user` already gives every support the theme allows."""
    limit = proposal.theme.max_supports_per_user
    if limit is not None and withdrawable_supports(user, proposal.theme_id) >= limit:
        raise Conflict(_("Ya usó sus %(limit)d apoyos en esta temática. Retire un apoyo "
                         "para dar otro.", limit=limit))


def support_refusal(user, proposal: Proposal, supported: bool) -> str | None:
    """Why `user` may not support `proposal` now (what the disabled button says), or None.
    A support already given can always be withdrawn while the proposal takes supports."""
    try:
        check_can_support(user, proposal)
        if not supported:
            check_support_limit(user, proposal)
    except ServiceError as error:
        return error.message
    return None


def _support(user: User, proposal: Proposal) -> None:
    if proposal.theme.max_supports_per_user is not None:
        # Serialize this participant's supports so two parallel requests cannot both pass.
        db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
        check_support_limit(user, proposal)
    record_support(user, proposal)


def record_support(user: User, proposal: Proposal) -> bool:
    """Insert the support row if missing and count it; no rules (demo and bench data)."""
    statement = _insert(Vote.__table__).values(
        user_id=user.id, proposal_id=proposal.id, theme_id=proposal.theme_id,
        created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["user_id", "proposal_id"])
    # RETURNING tells whether a row was inserted: with the implicit RETURNING of the primary
    # key, psycopg reports rowcount -1 whether or not the row conflicted.
    statement = statement.returning(Vote.__table__.c.id)
    if db.session.execute(statement).first() is not None:
        bump_counter(Proposal.__table__.c.vote_count, proposal, 1)
        return True
    return False
