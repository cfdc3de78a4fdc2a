"""Atom documents from plain data, with feedgen. One function per feed; each returns bytes."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask_babel import gettext as _

from app.models import PlanVersion, ProgressUpdate, Proposal, Theme
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


def _add_entry(feed: FeedGenerator, url: str, title: str, updated: datetime, summary: str,
               entry_id: str | None = None, author: str | None = None,
               published: datetime | None = None, category=None) -> None:
    """One entry linked to its page `url` (its id unless `entry_id`); `category` is a
    (term, label) pair. feedgen prepends: callers add the oldest first."""
    entry = feed.add_entry()
    entry.id(entry_id or url)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.title(title)
    if author:
        entry.author({"name": author})
    if category:
        entry.category(term=category[0], label=category[1])
    if published:
        entry.published(published)
    entry.updated(updated)
    entry.summary(summary)


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
        _add_entry(feed, absolute("proposals.detail", proposal_id=proposal.id), proposal.title,
                   proposal.created_at, _summary(proposal.problem),
                   author=proposal.author.display_name, published=proposal.created_at)
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
        url = absolute("proposals.detail", proposal_id=proposal.id)
        decided_at = proposal.decided_at or proposal.updated_at  # never None in this feed
        _add_entry(feed, url, f"{STATUS_LABELS[proposal.status]}: {proposal.title}",
                   decided_at, _summary(proposal.response or ""),
                   entry_id=f"{url}#decision-{int(decided_at.timestamp())}",
                   category=(proposal.theme.slug, proposal.theme.name))
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
        # One link per entry: feedgen 1.0 drops rel and type from entry links, and two
        # untyped links would both count as the alternate (RFC 4287, 4.1.1). The PDF's
        # address goes in the summary instead.
        _add_entry(feed, absolute("plan.version", number=version.number), version.label,
                   version.published_at,
                   _("Versión %(number)d del borrador del plan de acción. PDF: %(pdf)s",
                     number=version.number,
                     pdf=absolute("plan.version_export", number=version.number, fmt="pdf")))
    return feed.atom_str(pretty=True)


def progress_updates_feed(updates: list[ProgressUpdate]) -> bytes:
    """Progress reported on the commitments: commitment, reported percentage, summary."""
    feed = _feed(
        absolute("feeds.progress_updates"),
        _("Avances de los compromisos"),
        _("Cada avance que los responsables reportan sobre los compromisos del plan."),
        absolute("tracking.tracker"),
        (update.created_at for update in updates),
    )
    for update in reversed(updates):
        commitment = update.commitment
        _add_entry(feed, absolute("consultation.commitment", commitment_id=commitment.id,
                                  _anchor=f"avance-{update.id}"),
                   _("Compromiso %(n)d, %(progress)d %%: %(title)s", n=commitment.number,
                     progress=update.progress, title=commitment.title),
                   update.created_at, _summary(update.summary),
                   author=update.author.display_name, published=update.created_at,
                   category=(commitment.theme.slug, commitment.theme.name))
    return feed.atom_str(pretty=True)
