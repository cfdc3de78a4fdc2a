"""Emails about moderation, queued by the views before their commit (sent after it)."""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select

from app import mail
from app.extensions import db
from app.models import Comment, Proposal, User, Vote
from app.urls import absolute_url, comment_url


def _proposal_url(proposal_id: int) -> str:
    return absolute_url("proposals.detail", proposal_id=proposal_id)


def decision_recipients(proposal: Proposal) -> list[User]:
    """The author and every supporter who wants decision emails: one query."""
    supporters = select(Vote.user_id).where(Vote.proposal_id == proposal.id)
    return list(db.session.scalars(
        select(User).where(
            or_(User.id == proposal.author_id, User.id.in_(supporters)),
            User.notify_decisions.is_(True), User.active.is_(True), User.deleted_at.is_(None),
        ).order_by(User.id)))


def notify_decision(proposal: Proposal) -> int:
    """Queue the decision notice (status, reasoned response) to the author and every supporter.

    Call it before the request commits; the messages leave after the commit. Each is in the
    recipient's language with a one-click unsubscribe link. Returns how many were queued.
    """
    link = _proposal_url(proposal.id)
    merged_link = (_proposal_url(proposal.merged_into_id)
                   if proposal.status == "merged" and proposal.merged_into_id else None)
    count = 0
    for user in decision_recipients(proposal):
        message = mail.notice(user, "decisions", "votes/email/decision.txt",
                              lambda: _("Decisión sobre la propuesta «%(title)s»",
                                        title=proposal.title),
                              proposal=proposal, link=link, merged_link=merged_link,
                              is_author=user.id == proposal.author_id)
        if message is not None:
            mail.queue(message)
            count += 1
    return count


def notify_auto_hidden(target: Proposal | Comment) -> bool:
    """Tell the author why their content was hidden automatically."""
    author = db.session.get(User, target.author_id)
    if author is None or not author.is_active:
        return False
    with force_locale(author.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "es")):
        return _queue_auto_hidden(target, author)


def _queue_auto_hidden(target: Proposal | Comment, author: User) -> bool:
    if isinstance(target, Proposal):
        what, proposal_id = _("su propuesta «%(title)s»", title=target.title), target.id
    else:
        what, proposal_id = _("su comentario"), target.proposal_id
    if proposal_id is None:  # on a commitment of the plan, or on a progress update
        url = comment_url(target, absolute=True)
    else:
        url = _proposal_url(proposal_id)
    body = "\n".join([
        _("Ocultamos %(what)s mientras la mesa técnica la revisa.", what=what),
        "",
        _("Motivo: %(reason)s", reason=target.hidden_reason or ""),
        "",
        _("Varias personas la reportaron. Si la revisión no encuentra problemas, volverá a "
          "mostrarse; si se mantiene oculta, verá el motivo en %(url)s",
          url=url),
    ])
    subject = _("Su contenido fue ocultado temporalmente")
    mail.queue(mail.Message(to=author.email, subject=subject, body=body))
    return True
