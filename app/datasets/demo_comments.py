"""Demo supports and a Spanish conversation, incl. an institutional answer (for `flask demo`)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Comment, Proposal, User
from app.models.base import utcnow
from app.proposals.counters import bump_counter
from app.text import render_markdown
from app.votes.services import record_support

SUPPORTERS = (
    "sociedad@demo.cocrea.gt", "ong@demo.cocrea.gt", "empresa@demo.cocrea.gt",
    "muni@demo.cocrea.gt", "academia@demo.cocrea.gt", "cooperacion@demo.cocrea.gt",
    "ciudadana@demo.cocrea.gt", "servidor@demo.cocrea.gt",
)
# (author email, alignment, body, replies: [(author email, alignment, body)])
CONVERSATIONS = (
    ("ong@demo.cocrea.gt", "in_favor",
     "Apoyamos esta propuesta. Sugerimos que los datos se publiquen también en formato CSV y "
     "con un calendario de actualización conocido por todos.",
     [("servidor@demo.cocrea.gt", "neutral",
       "Gracias por la sugerencia. El Ministerio puede comprometerse a publicar mensualmente en "
       "CSV y JSON; proponemos revisarlo en la mesa técnica del próximo jueves."),
      ("ong@demo.cocrea.gt", "in_favor", "Perfecto, ahí estaremos.")]),
    ("empresa@demo.cocrea.gt", "neutral",
     "¿Cómo se garantizará la protección de datos personales de los proveedores?", []),
    ("academia@demo.cocrea.gt", "against",
     "La meta de seis meses parece corta para las municipalidades con menos capacidad técnica. "
     "Proponemos una implementación por fases.",
     [("muni@demo.cocrea.gt", "in_favor",
       "Coincido: en Cobán necesitaríamos acompañamiento y capacitación al personal.")]),
)


def _users() -> dict[str, User]:
    emails = set(SUPPORTERS) | {c[0] for c in CONVERSATIONS} | {
        r[0] for c in CONVERSATIONS for r in c[3]}
    users = db.session.scalars(sa.select(User).where(User.email.in_(emails)))
    return {user.email: user for user in users}


def _comment(proposal: Proposal, user: User, alignment: str, body: str, when, parent=None):
    comment = Comment(proposal_id=proposal.id, author_id=user.id, author=user,
                      parent_id=parent.id if parent else None, body=body,
                      body_html=render_markdown(body), alignment=alignment, created_at=when)
    db.session.add(comment)
    db.session.flush()
    bump_counter(Proposal.__table__.c.comment_count, proposal, 1)
    return comment


def add_demo_content() -> None:
    """Supports on the demo proposals and a conversation on the first ones (idempotent)."""
    users = _users()
    proposals = db.session.scalars(
        sa.select(Proposal).where(Proposal.hidden.is_(False)).order_by(Proposal.id)
    ).all()
    if not proposals or not users:
        return
    for index, proposal in enumerate(proposals):
        # A varied but deterministic number of supports per proposal.
        for email in SUPPORTERS[: (index * 3) % len(SUPPORTERS) + 1]:
            user = users.get(email)
            if user is not None and user.id != proposal.author_id:
                record_support(user, proposal)
    already = db.session.scalar(sa.select(sa.func.count()).select_from(Comment))
    if already:
        return
    start = utcnow() - timedelta(days=3)
    for offset, proposal in enumerate(proposals[:3]):
        when = start + timedelta(hours=offset)
        for step, (email, alignment, body, replies) in enumerate(CONVERSATIONS):
            if email not in users:
                continue
            when += timedelta(minutes=40 * (step + 1))
            parent = _comment(proposal, users[email], alignment, body, when)
            for reply_email, reply_alignment, reply_body in replies:
                if reply_email in users:
                    when += timedelta(minutes=25)
                    _comment(proposal, users[reply_email], reply_alignment, reply_body, when,
                             parent=parent)
        if offset == 0:
            institutional = [c for c in db.session.scalars(
                sa.select(Comment).where(Comment.proposal_id == proposal.id,
                                         Comment.parent_id.is_(None)))
                if c.author.is_public_servant]
            if not institutional and "servidor@demo.cocrea.gt" in users:
                pinned = _comment(
                    proposal, users["servidor@demo.cocrea.gt"], "in_favor",
                    "**Respuesta institucional:** el Ministerio de Finanzas Públicas respalda "
                    "esta propuesta y ofrece su portal de datos abiertos como punto de partida.",
                    when + timedelta(hours=1))
                pinned.pinned = True
    db.session.flush()
