"""Outgoing email. Without MAIL_SERVER, messages are written to the log (development).

Every message is queued with `queue()` and leaves after the database commit (see below);
`app.mail_queue.dispatch` delivers it. Notices (new comment, reply) are built by `notice()`;
decision notices live in `app.moderation.notifications`.
"""
from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy as email_policy
from email.message import EmailMessage

from flask import (
    after_this_request,
    current_app,
    has_request_context,
    render_template,
    request,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup, escape
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.urls import absolute_url, comment_url


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


def _current_language() -> str:
    return str(get_locale() or "es") if has_request_context() else "es"


@dataclass
class Message:
    """One email. `body` is the text rendered from the message's one template; the HTML part
    is made from it when the message is built (`html_version`), in `lang`."""

    to: str
    subject: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    lang: str = field(default_factory=_current_language)


# The HTML part stays small (mail clients clip long messages; phones on slow networks).
HTML_MAX_BYTES = 30_000
_URL = re.compile(r"https?://[^\s<>\"]+")
_SIGNATURE = re.compile(r"^--\s*$", re.M)  # "-- " starts the footer (why you get this mail)


def _paragraph(text: str, limit: int | None) -> Markup:
    """A paragraph of the text part as HTML: escaped, lines kept, addresses made links."""
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip() + "…"
    html = str(escape(text))
    html = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', html)
    # Every character of `text` went through escape(); links wrap escaped text only.
    return Markup(html.replace("\n", "<br>\n"))  # noqa: S704


def html_version(message: Message) -> str:
    """The accessible HTML part of `message`, made from its text part so both say the same:
    its language, a title, paragraphs, real links, the footer after "--", and no styles (the
    reader's mail client decides how it looks). Long paragraphs are shortened to keep it under
    HTML_MAX_BYTES; the text part keeps everything."""
    parts = _SIGNATURE.split(message.body, maxsplit=1)
    body, footer = parts[0], parts[1] if len(parts) > 1 else ""

    def blocks(text: str) -> list[str]:
        return [block.strip("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]

    # Built at send time, maybe on a worker without a request: the template alone, without
    # the page context processors.
    template = current_app.jinja_env.get_template("mail/message.html")
    html = ""
    with force_locale(message.lang):
        for limit in (None, 4000, 1000, 300):
            html = template.render(
                subject=message.subject, lang=message.lang,
                paragraphs=[_paragraph(block, limit) for block in blocks(body)],
                footer=[_paragraph(block, limit) for block in blocks(footer)],
                shortened=limit is not None)
            if len(html.encode("utf-8")) < HTML_MAX_BYTES:
                break
    return html


# Headers mail providers read only as plain ASCII: never RFC 2047 encoded words.
PLAIN_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")


def build(message: Message) -> EmailMessage:
    # refold_source "none": a header set raw is sent as written, never folded or encoded.
    email = EmailMessage(policy=email_policy.default.clone(refold_source="none"))
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to
    email["Subject"] = message.subject
    for name, value in message.headers.items():
        if name in PLAIN_HEADERS:  # RFC 2369/8058: "<URL>" as is, at any length
            if "\r" in value or "\n" in value:
                raise ValueError(f"line break in the {name} header")
            email.set_raw(name, value)
        else:
            email[name] = value
    email.set_content(message.body)
    email.add_alternative(html_version(message), subtype="html")
    for item in message.attachments:
        maintype, _, subtype = item.mimetype.partition("/")
        email.add_attachment(item.content, maintype=maintype, subtype=subtype,
                             filename=item.filename)
    return email


def send(message: Message) -> bool:
    """The transport: one SMTP attempt, True when accepted. Callers use `queue()` instead.

    A failing mail server is logged and never raises; `app.mail_queue` retries and keeps it.
    """
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("mail (no MAIL_SERVER): subject=%r\n%s", message.subject,
                                message.body)
        return True
    try:
        with _connect(config) as smtp:
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(build(message))
        return True
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("mail: sending %r failed", message.subject)
        return False


def tls_context() -> ssl.SSLContext:
    """A verifying TLS context: the server's certificate chain and host name are checked."""
    return ssl.create_default_context()


def _connect(config) -> smtplib.SMTP:
    """An SMTP connection: implicit TLS (MAIL_USE_SSL, or port 465), STARTTLS (MAIL_USE_TLS),
    or plain; TLS always with a verified certificate (ssl.create_default_context)."""
    server, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    if config.get("MAIL_USE_SSL") or port == 465:
        return smtplib.SMTP_SSL(server, port, timeout=10, context=tls_context())
    smtp = smtplib.SMTP(server, port, timeout=10)
    if config.get("MAIL_USE_TLS"):
        try:
            smtp.starttls(context=tls_context())
        except BaseException:
            smtp.close()
            raise
    return smtp


# --- The one way to send: queue() ------------------------------------------------------------
# Every caller queues. Messages queued inside a database transaction leave only once it has
# committed (a refused or rolled-back action sends nothing). Messages queued outside any
# transaction leave at the end of the request (or at once outside a request: CLI, worker).
# Either way they go to `app.mail_queue.dispatch`: RQ with REDIS_URL, else a background thread
# (MAIL_ASYNC) or synchronously, with retries and the outbox. A failing mail server never
# breaks a request nor undoes its data. `send()` above is the transport those deliveries use.

PENDING = "cocrea_mail_pending"
_WROTE = "cocrea_mail_wrote"
_HELD = "_cocrea_mail_held"  # on the request: messages waiting for its end


def queue(message: Message | None) -> None:
    """Send `message` after the current transaction commits (dropped on rollback)."""
    if message is None:
        return
    from app.extensions import db

    session = db.session()
    held = _request_hold() if has_request_context() else None
    if session.in_transaction():
        session.info.setdefault(PENDING, []).append(message)
    elif held is not None:
        held.append(message)
    else:
        _dispatch([message])


def _dispatch(messages: list[Message]) -> None:
    from app.mail_queue import dispatch

    dispatch(messages)


def _request_hold() -> list[Message]:
    """This request's held messages; the first call arranges to send them at its end."""
    held = getattr(request, _HELD, None)
    if held is None:
        held = []
        setattr(request, _HELD, held)
        after_this_request(_at_end_of_request)
    return held


def _at_end_of_request(response):
    """Send what was queued outside a transaction, or in one that only read."""
    from app.extensions import db

    session = db.session()
    messages = list(getattr(request, _HELD, []))
    leftover = session.info.pop(PENDING, [])
    if leftover:
        if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
            current_app.logger.warning(
                "mail: %d message(s) not sent: their transaction was never committed",
                len(leftover))
        else:  # a read-only transaction: nothing to wait for
            messages += leftover
    if messages:
        _dispatch(messages)
    return response


@event.listens_for(Session, "after_flush")
def _mark_write(session: Session, flush_context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: wait for the real commit
        return
    session.info.pop(_WROTE, None)
    messages = session.info.pop(PENDING, None)
    if messages:
        _dispatch(messages)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.nested:  # a savepoint rolled back: the transaction goes on
        return
    session.info.pop(PENDING, None)
    session.info.pop(_WROTE, None)


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
    url = absolute_url("comments.unsubscribe", token=token)
    with force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "es")):
        body = render_template(template, user=user, unsubscribe_url=url, kind=kind, **context)
        title = str(subject())
    return Message(
        to=user.email, subject=title, body=body, lang=str(user.locale or "es"),
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

    link = comment_url(comment, absolute=True)
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
