"""One email as plain data: `Message` and its `Attachment`s, and their JSON form (the outbox).

The bottom layer of mail, importing no other part of it: `app.mail` composes messages and
queues them, `app.mail_queue` delivers them; both use these classes, and `app.mail_queue`
never imports `app.mail` (it calls the transport `app.mail.init_app` registers).
"""
from __future__ import annotations

import base64
import dataclasses
import json
from dataclasses import dataclass, field

from flask import has_request_context
from flask_babel import get_locale


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
    is made from it when the message is built (`app.mail.html_version`), in `lang`."""

    to: str
    subject: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    lang: str = field(default_factory=_current_language)


def to_json(message: Message) -> str:
    """`message` as a JSON object (attachments' bytes in base64), for `from_json`."""
    data = dataclasses.asdict(message)
    for item in data.get("attachments") or []:
        item["content"] = base64.b64encode(item["content"]).decode()
    return json.dumps(data)


def from_json(text: str) -> Message:
    """The Message `to_json` wrote. Raises ValueError (bad JSON) or TypeError (fields)."""
    data = json.loads(text)
    data["attachments"] = [
        Attachment(**{**item, "content": base64.b64decode(item["content"])})
        for item in data.get("attachments") or []
    ]
    return Message(**data)
