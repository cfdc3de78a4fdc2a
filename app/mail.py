"""Outgoing email. Without MAIL_SERVER, messages are written to the log (development)."""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

from flask import current_app


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
