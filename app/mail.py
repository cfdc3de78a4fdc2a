"""Outgoing email. Without MAIL_SERVER, messages are written to the log (development).

Notices (new comment, reply, decision) are queued with `queue()` during the request and sent
after the database commit; see `notify_new_comment` and `notify_decision`.
"""
from __future__ import annotations

import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import event
from sqlalchemy.orm import Session


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


@dataclass
class Message:
    to: str
    subject: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def build(message: Message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to
    email["Subject"] = message.subject
    for name, value in message.headers.items():
        email[name] = value
    email.set_content(message.body)
    for item in message.attachments:
        maintype, _, subtype = item.mimetype.partition("/")
        email.add_attachment(item.content, maintype=maintype, subtype=subtype,
                             filename=item.filename)
    return email


def send(message: Message) -> bool:
    """Send now; a failing mail server is logged and never breaks the caller."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("mail (no MAIL_SERVER): subject=%r\n%s", message.subject,
                                message.body)
        return True
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(build(message))
        return True
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("mail: sending %r failed", message.subject)
        return False


# --- Sending after commit ------------------------------------------------------------------
# Services queue notices while they change the database; the messages leave only once the
# transaction has committed (a rolled-back vote or comment sends nothing), and by default on a
# background thread, so a slow or failing mail server never delays or breaks the request.

OUTBOX = "cocrea_mail_outbox"


def queue(message: Message | None) -> None:
    """Send `message` after the current database transaction commits; drop it on rollback."""
    if message is None:
        return
    from app.extensions import db

    db.session().info.setdefault(OUTBOX, []).append(message)


def send_all(messages: list[Message]) -> None:
    for message in messages:
        send(message)


def _send_in_background(app, messages: list[Message]) -> None:
    with app.app_context():
        try:
            send_all(messages)
        except Exception:  # the thread must log, never die silently
            app.logger.exception("mail: background sending failed")


def dispatch(messages: list[Message]) -> None:
    """Send now (MAIL_ASYNC off, as in tests) or on a daemon thread (the default)."""
    if not messages:
        return
    app = current_app._get_current_object()
    if app.config.get("MAIL_ASYNC", not app.testing):
        threading.Thread(target=_send_in_background, args=(app, list(messages)),
                         name="cocrea-mail", daemon=True).start()
    else:
        send_all(messages)


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    messages = session.info.pop(OUTBOX, None)
    if messages:
        dispatch(messages)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(OUTBOX, None)


# --- Notification preferences and one-click unsubscribe ------------------------------------

#: kind of notice -> the User flag that turns it off
NOTICE_KINDS = {
    "comments": "notify_comments",
    "replies": "notify_replies",
    "decisions": "notify_decisions",
}
_UNSUBSCRIBE_SALT = "cocrea-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_UNSUBSCRIBE_SALT)


def unsubscribe_token(user, kind: str) -> str:
    """A signed token that turns off one kind of notice for one account (it does not expire)."""
    if kind not in NOTICE_KINDS:
        raise ValueError(kind)
    return _serializer().dumps([user.id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) for a valid token, None for anything else."""
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or kind not in NOTICE_KINDS:
        return None
    return user_id, kind


def wants(user, kind: str) -> bool:
    """Whether `user` gets notices of `kind` (active account, preference on)."""
    return bool(user is not None and user.is_active and getattr(user, NOTICE_KINDS[kind]))


def notice(user, kind: str, template: str, subject: Callable[[], str], **context) -> Message | None:
    """A notice for `user` in their language, with a one-click unsubscribe link; None if unwanted.

    `subject` is called inside the recipient's locale so that it is translated for them.
    """
    if not wants(user, kind):
        return None
    token = unsubscribe_token(user, kind)
    url = url_for("comments.unsubscribe", token=token, _external=True)
    with force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "es")):
        body = render_template(template, user=user, unsubscribe_url=url, kind=kind, **context)
        title = str(subject())
    return Message(
        to=user.email, subject=title, body=body,
        headers={"List-Unsubscribe": f"<{url}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


# --- The notices --------------------------------------------------------------------------

def notify_new_comment(comment, proposal) -> None:
    """Queue the notices of a new comment: the proposal's author; for a reply, the parent's.

    Nobody is told about their own comment, and nobody gets two messages for one comment.
    """
    from app.extensions import db
    from app.models import Comment

    link = url_for("proposals.detail", proposal_id=proposal.id, _external=True,
                   _anchor=f"comentario-{comment.id}")
    notified = {comment.author_id}
    if comment.parent_id is not None:
        parent = db.session.get(Comment, comment.parent_id)
        if parent is not None and parent.author_id not in notified and not parent.is_deleted:
            notified.add(parent.author_id)
            queue(notice(parent.author, "replies", "comments/email/reply.txt",
                         lambda: _("Respondieron a su comentario en «%(title)s»",
                                   title=proposal.title),
                         comment=comment, proposal=proposal, link=link))
    if proposal.author_id not in notified:
        queue(notice(proposal.author, "comments", "comments/email/new_comment.txt",
                     lambda: _("Nuevo comentario en su propuesta «%(title)s»",
                               title=proposal.title),
                     comment=comment, proposal=proposal, link=link))


def notify_decision(proposal) -> int:
    """Queue a notice of `proposal`'s published decision to its author and every supporter.

    Call it from the service that records the decision, before the request commits; the
    messages leave after the commit. Returns how many were queued.
    """
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User, Vote

    supporters = db.session.scalars(
        select(User).join(Vote, Vote.user_id == User.id)
        .where(Vote.proposal_id == proposal.id, User.notify_decisions.is_(True),
               User.active.is_(True), User.deleted_at.is_(None))
        .order_by(User.id)
    ).all()
    recipients = {user.id: user for user in supporters}
    recipients.setdefault(proposal.author_id, proposal.author)
    link = url_for("proposals.detail", proposal_id=proposal.id, _external=True)
    count = 0
    for user in recipients.values():
        message = notice(user, "decisions", "votes/email/decision.txt",
                         lambda: _("Decisión sobre la propuesta «%(title)s»",
                                   title=proposal.title),
                         proposal=proposal, link=link, is_author=user.id == proposal.author_id)
        if message is not None:
            queue(message)
            count += 1
    return count
