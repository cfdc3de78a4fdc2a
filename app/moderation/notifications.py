"""Emails about moderation, sent by the views after their commit."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from app import mail
from app.extensions import db
from app.models import Comment, Proposal, User, Vote
from app.templating import STATUS_LABELS


def _proposal_url(proposal_id: int) -> str:
    return url_for("proposals.detail", proposal_id=proposal_id, _external=True)


def decision_recipients(proposal: Proposal) -> list[User]:
    """The author and every supporter who wants decision emails: one query."""
    supporters = select(Vote.user_id).where(Vote.proposal_id == proposal.id)
    return list(db.session.scalars(
        select(User).where(
            or_(User.id == proposal.author_id, User.id.in_(supporters)),
            User.notify_decisions.is_(True), User.active.is_(True), User.deleted_at.is_(None),
        ).order_by(User.id)))


def notify_decision(proposal: Proposal) -> int:
    """Tell the author and all supporters the decision and its reasoned response."""
    status = str(STATUS_LABELS.get(proposal.status, proposal.status))
    subject = _("Decisión sobre la propuesta «%(title)s»: %(status)s", title=proposal.title,
                status=status)
    lines = [
        _("La mesa técnica registró una decisión sobre la propuesta «%(title)s».",
          title=proposal.title),
        "",
        _("Estado: %(status)s", status=status),
    ]
    if proposal.merged_into_id and proposal.status == "merged":
        lines.append(_("Fusionada con: %(url)s", url=_proposal_url(proposal.merged_into_id)))
    if proposal.response:
        lines += ["", _("Respuesta razonada:"), proposal.response]
    lines += ["", _proposal_url(proposal.id), "",
              _("Recibe este correo porque propuso o apoyó esta propuesta. Puede dejar de "
                "recibirlos en su cuenta: %(url)s", url=url_for("account.edit", _external=True))]
    body = "\n".join(lines)
    sent = 0
    for user in decision_recipients(proposal):
        mail.send(mail.Message(to=user.email, subject=subject, body=body))
        sent += 1
    return sent


def notify_auto_hidden(target: Proposal | Comment) -> bool:
    """Tell the author why their content was hidden automatically."""
    author = db.session.get(User, target.author_id)
    if author is None or not author.is_active:
        return False
    if isinstance(target, Proposal):
        what, proposal_id = _("su propuesta «%(title)s»", title=target.title), target.id
    else:
        what, proposal_id = _("su comentario"), target.proposal_id
    body = "\n".join([
        _("Ocultamos %(what)s mientras la mesa técnica la revisa.", what=what),
        "",
        _("Motivo: %(reason)s", reason=target.hidden_reason or ""),
        "",
        _("Varias personas la reportaron. Si la revisión no encuentra problemas, volverá a "
          "mostrarse; si se mantiene oculta, verá el motivo en %(url)s",
          url=_proposal_url(proposal_id)),
    ])
    return mail.send(mail.Message(to=author.email, subject=_("Su contenido fue ocultado "
                                                              "temporalmente"), body=body))
