"""Atom documents from plain data, with feedgen. One function per feed; each returns bytes."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask_babel import gettext as _

from app.models import PlanVersion, Proposal, Theme
from app.models.base import utcnow
from app.templating import STATUS_LABELS
from app.urls import absolute_url

SUMMARY_CHARS = 600


def absolute(endpoint: str, **values) -> str:
    """An absolute URL of this site on BASE_URL (the one place feeds build them)."""
    return absolute_url(endpoint, **values)


def _summary(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def _feed(feed_id: str, title: str, subtitle: str, page_url: str,
          updated: Iterable[datetime]) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.author({"name": "Cocrea"})
    feed.link(href=feed_id, rel="self", type="application/atom+xml")
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.language("es")
    feed.generator("Cocrea")
    # An empty feed says when it was asked for; otherwise its newest entry's time, so the
    # same content gives the same document (and the same ETag).
    feed.updated(max(updated, default=None) or utcnow())
    return feed


def last_changed(times: Iterable[datetime | None]) -> datetime | None:
    present = [time for time in times if time is not None]
    return max(present) if present else None


def new_proposals_feed(theme: Theme, proposals: list[Proposal]) -> bytes:
    """Newest proposals of one theme: title, author, first lines of the problem."""
    feed = _feed(
        absolute("feeds.theme_proposals", slug=theme.slug),
        _("Nuevas propuestas: %(theme)s", theme=theme.name),
        _("Propuestas de compromiso publicadas en la temática %(theme)s.", theme=theme.name),
        absolute("proposals.theme", slug=theme.slug, sort="recent"),
        (proposal.created_at for proposal in proposals),
    )
    for proposal in reversed(proposals):  # feedgen prepends: add oldest first
        entry = feed.add_entry()
        url = absolute("proposals.detail", proposal_id=proposal.id)
        entry.id(url)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.title(proposal.title)
        entry.author({"name": proposal.author.display_name})
        entry.published(proposal.created_at)
        entry.updated(proposal.created_at)
        entry.summary(_summary(proposal.problem))
    return feed.atom_str(pretty=True)


def decisions_feed(proposals: list[Proposal]) -> bytes:
    """Final decisions on proposals, each with the moderators' reasoned response."""
    feed = _feed(
        absolute("feeds.decisions"),
        _("Decisiones sobre las propuestas"),
        _("Propuestas aceptadas, fusionadas o no incluidas, con la respuesta razonada."),
        absolute("transparency.index"),
        (proposal.decided_at for proposal in proposals if proposal.decided_at),
    )
    for proposal in reversed(proposals):
        entry = feed.add_entry()
        url = absolute("proposals.detail", proposal_id=proposal.id)
        decided_at = proposal.decided_at or proposal.updated_at  # never None in this feed
        entry.id(f"{url}#decision-{int(decided_at.timestamp())}")
        entry.link(href=url, rel="alternate", type="text/html")
        entry.title(f"{STATUS_LABELS[proposal.status]}: {proposal.title}")
        entry.category(term=proposal.theme.slug, label=proposal.theme.name)
        entry.updated(decided_at)
        entry.summary(_summary(proposal.response or ""))
    return feed.atom_str(pretty=True)


def plan_versions_feed(versions: list[PlanVersion]) -> bytes:
    """Each published version of the plan draft, linked to its page and its PDF."""
    feed = _feed(
        absolute("feeds.plan_versions"),
        _("Versiones publicadas del plan de acción"),
        _("Cada versión publicada del borrador del plan de acción."),
        absolute("plan.index"),
        (version.published_at for version in versions),
    )
    for version in reversed(versions):
        entry = feed.add_entry()
        url = absolute("plan.version", number=version.number)
        entry.id(url)
        # One link per entry: feedgen 1.0 drops rel and type from entry links, and two
        # untyped links would both count as the alternate (RFC 4287, 4.1.1). The PDF's
        # address goes in the summary instead.
        entry.link(href=url, rel="alternate", type="text/html")
        entry.title(version.label)
        entry.updated(version.published_at)
        entry.summary(_("Versión %(number)d del borrador del plan de acción. PDF: %(pdf)s",
                        number=version.number,
                        pdf=absolute("plan.version_export", number=version.number, fmt="pdf")))
    return feed.atom_str(pretty=True)
