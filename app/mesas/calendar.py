"""iCalendar (RFC 5545) files for meetings, built with the `icalendar` library.

One file per meeting (download, and attached to registration, update and cancellation
emails) and the feed of every meeting (/mesas.ics) for calendar subscription. Times are in
UTC (no VTIMEZONE needed; every calendar shows them in the reader's zone). The UID of a
meeting never changes and its SEQUENCE grows with every change registrants are told about,
so calendars replace the event; a cancellation is sent with METHOD:CANCEL.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event

from app.models import Mesa
from app.models.base import utcnow

PRODID = "-//Cocrea//Mesas tecnicas de co-creacion//ES"
KIND_SUMMARY = {"forum": "Foro multiactor", "implementation": "Reunión de implementación"}


def summary(mesa: Mesa) -> str:
    if mesa.kind == "cocreation":
        title = f"Mesa técnica {mesa.number}: {mesa.theme.name}"
        return f"{title} · {mesa.title}" if mesa.title else title
    return f"{KIND_SUMMARY.get(mesa.kind, mesa.kind)}: {mesa.title}"


def _calendar(method: str, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _event(mesa: Mesa, *, url: str, host: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"mesa-{mesa.id}@{host}")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", mesa.starts_at.astimezone(UTC))
    event.add("dtend", mesa.ends_at.astimezone(UTC))
    event.add("sequence", mesa.sequence)
    event.add("summary", summary(mesa))
    location = mesa.place or ""
    if mesa.online_url:
        location = f"{location} · {mesa.online_url}" if location else mesa.online_url
    event.add("location", location)
    description = f"{summary(mesa)}. Plan de Acción Nacional de Gobierno Abierto.\n{url}"
    if mesa.online_url:
        description += f"\nEn línea: {mesa.online_url}"
    if mesa.is_cancelled:
        description = f"CANCELADA: {mesa.cancel_reason or ''}\n{description}"
    event.add("description", description)
    event.add("url", url)
    event.add("status", "CANCELLED" if mesa.is_cancelled else "CONFIRMED")
    return event


def mesa_ics(mesa: Mesa, *, url: str, host: str, now: datetime | None = None) -> bytes:
    """The .ics file of `mesa`: METHOD:PUBLISH, or METHOD:CANCEL once it is cancelled.
    `url` is its page; `host` makes the UID globally unique."""
    calendar = _calendar("CANCEL" if mesa.is_cancelled else "PUBLISH")
    calendar.add_component(_event(mesa, url=url, host=host, now=now or utcnow()))
    return calendar.to_ical()


def feed_ics(mesas: Iterable[Mesa], *, url_of: Callable[[Mesa], str], host: str, name: str,
             now: datetime | None = None) -> bytes:
    """Every meeting in one calendar for subscription (cancelled ones with STATUS:CANCELLED,
    so subscribed calendars drop them)."""
    now = now or utcnow()
    calendar = _calendar("PUBLISH", name)
    for mesa in mesas:
        calendar.add_component(_event(mesa, url=url_of(mesa), host=host, now=now))
    return calendar.to_ical()
