"""An iCalendar (RFC 5545) file for one mesa, written by hand: one VEVENT, times in UTC.

UTC times need no VTIMEZONE block and every calendar shows them in the reader's zone.
"""
from __future__ import annotations

from datetime import UTC, datetime

from app.models import Mesa
from app.models.base import utcnow

PRODID = "-//Cocrea//Mesas tecnicas de co-creacion//ES"


def _escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines are escaped (RFC 5545 3.3.11)."""
    return (
        (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        limit = 75 if not parts else 74  # continuation lines start with one space
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def mesa_ics(mesa: Mesa, *, url: str, host: str, now: datetime | None = None) -> bytes:
    """The .ics file for `mesa`; `url` is its page, `host` makes the UID globally unique."""
    title = f"Mesa técnica {mesa.number}: {mesa.theme.name}"
    description = (
        f"Mesa técnica de co-creación del Plan de Acción Nacional de Gobierno Abierto: "
        f"{mesa.theme.name}.\n{url}"
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:mesa-{mesa.id}@{host}",
        f"DTSTAMP:{_utc(now or utcnow())}",
        f"DTSTART:{_utc(mesa.starts_at)}",
        f"DTEND:{_utc(mesa.ends_at)}",
        f"SUMMARY:{_escape(title)}",
        f"LOCATION:{_escape(mesa.place)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
