"""The one query builder behind every proposal listing: theme pages, /proposals and the API.

A page costs a constant number of queries whatever its length: counts come from the
columns stored on each row (proposals) and on each theme (its totals, kept exact with every
change by app/proposals/counters.py), authors and themes are loaded in the same SELECT.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from math import ceil

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import Select

from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.models import Proposal, Theme, User
from app.models.proposal import PROPOSAL_STATUSES
from app.proposals.search import matches, similar_ids

SORTS = {
    "votes": (Proposal.vote_count.desc(), Proposal.id.desc()),
    "recent": (Proposal.created_at.desc(), Proposal.id.desc()),
    "comments": (Proposal.comment_count.desc(), Proposal.id.desc()),
}
MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
# A search's listing counts its matches up to here ("más de 500 propuestas", 25 pages).
SEARCH_COUNT_LIMIT = 500


@dataclass(frozen=True)
class ProposalFilters:
    theme: Theme | None = None
    status: str | None = None
    q: str | None = None
    sort: str = "votes"
    page: int = 1
    per_page: int = 20

    def with_page(self, page: int) -> ProposalFilters:
        return replace(self, page=page)


@dataclass(frozen=True)
class Page:
    items: list[Card] | list[Proposal]
    total: int
    page: int
    per_page: int
    # True when `total` is a lower bound: a search counted up to its limit and stopped.
    more: bool = False

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _int_arg(value: str | None, name: str, default: int, minimum: int, maximum: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("El parámetro %(name)s debe ser un número entero.", name=name),
                           field=name) from None
    if not minimum <= number <= maximum:
        raise InvalidInput(
            _("El parámetro %(name)s debe estar entre %(min)d y %(max)d.", name=name,
              min=minimum, max=maximum), field=name)
    return number


def theme_by_slug(slug: str) -> Theme:
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        raise NotFound(_("No existe esa temática."))
    return theme


def forgiving_int(value: str | None, default: int, minimum: int, maximum: int) -> int:
    """A number from a query string for an HTML page: `default` when missing or unreadable,
    clamped to [minimum, maximum] (a mistyped ?page=-1 shows the first page, not an error)."""
    value = (value or "").strip()
    if not (value.isascii() and value.lstrip("-").isdigit()) or len(value) > 9:
        return default
    return min(max(int(value), minimum), maximum)


def parse_filters(args, *, theme: Theme | None = None, default_per_page: int = 20,
                  max_per_page: int = 20, strict: bool = True) -> ProposalFilters:
    """Read sort, status, q, page (and theme, per_page) from query arguments.

    strict (the API): 400 (`InvalidInput`) on a bad one. Not strict (HTML pages): a bad one
    falls back to its default, so a mistyped address still shows the listing.
    """
    if not strict:
        return _forgiving_filters(args, theme, default_per_page, max_per_page)
    sort = args.get("sort") or "votes"
    if sort not in SORTS:
        raise InvalidInput(_("Orden desconocido: use votes, recent o comments."), field="sort")
    status = args.get("status") or None
    if status is not None and status not in PROPOSAL_STATUSES:
        raise InvalidInput(_("Estado desconocido."), field="status")
    if theme is None and args.get("theme"):
        try:
            theme = theme_by_slug(args.get("theme"))
        except NotFound:
            raise InvalidInput(_("Temática desconocida."), field="theme") from None
    q = (args.get("q") or "").strip()[:MAX_QUERY_LENGTH] or None
    page = _int_arg(args.get("page"), "page", 1, 1, MAX_PAGE)
    per_page = _int_arg(args.get("per_page"), "per_page", default_per_page, 1, max_per_page)
    return ProposalFilters(theme=theme, status=status, q=q, sort=sort, page=page,
                           per_page=per_page)


def _current_plan_themes() -> Select:
    from app.plans.services import current_plan_id_subquery

    return select(Theme.id).where(Theme.plan_id == current_plan_id_subquery())


def _forgiving_filters(args, theme, default_per_page: int, max_per_page: int) -> ProposalFilters:
    sort = args.get("sort") if args.get("sort") in SORTS else "votes"
    status = args.get("status") if args.get("status") in PROPOSAL_STATUSES else None
    if theme is None and args.get("theme"):
        try:
            theme = theme_by_slug(args.get("theme"))
        except NotFound:
            theme = None
    q = (args.get("q") or "").strip()[:MAX_QUERY_LENGTH] or None
    return ProposalFilters(
        theme=theme, status=status, q=q, sort=sort,
        page=forgiving_int(args.get("page"), 1, 1, MAX_PAGE),
        per_page=forgiving_int(args.get("per_page"), default_per_page, 1, max_per_page))


# A search matching more proposals than this reads its page by walking the listing's index.
COMMON_MATCHES = 500


def _filtered(statement: Select, filters: ProposalFilters, common: bool = False) -> Select:
    statement = statement.where(Proposal.hidden.is_(False))
    if filters.theme is not None:
        statement = statement.where(Proposal.theme_id == filters.theme.id)
    else:  # every listing without a theme shows the current plan
        statement = statement.where(Proposal.theme_id.in_(_current_plan_themes()))
    if filters.status:
        statement = statement.where(Proposal.status == filters.status)
    if filters.q:
        statement = statement.where(matches(filters.q, common=common))
    return statement


@dataclass(frozen=True, slots=True)
class Card:
    """What a proposal card shows (macros/proposals.html `card`), read as plain rows: a listing
    builds no ORM objects (identity map, lazy attributes), which was a third of its cost."""
    id: int
    title: str
    status: str
    created_at: datetime
    vote_count: int
    comment_count: int
    theme_slug: str
    theme_name: str
    author_name: str
    problem_start: str  # the first characters of the problem (Markdown), for the excerpt


CARD_EXCERPT_CHARS = 240
CARD_COLUMNS = (Proposal.id, Proposal.title, Proposal.status, Proposal.created_at,
                Proposal.vote_count, Proposal.comment_count, Theme.slug, Theme.name,
                User.display_name,
                func.coalesce(func.substr(Proposal.problem, 1, CARD_EXCERPT_CHARS), ""))


def _page_ids(filters: ProposalFilters, common: bool = False) -> Select:
    """The ids of one page, in order. Only the listing index is read (an index-only scan
    on PostgreSQL, a covering index on SQLite), so a deep page skips index entries rather
    than whole rows: page 84 of a theme costs about what page 1 does. `common`: a search
    with many matches (search.matches)."""
    return (
        _filtered(select(Proposal.id), filters, common)
        .order_by(*SORTS[filters.sort])
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )


def ids_with_status(statuses) -> Select:
    """The ids of the proposals (any plan, hidden ones too) in `statuses`, read through
    ix_proposals_status: one index entry per matching proposal. For the decided statuses
    (accepted, merged, rejected), a few hundred at national scale, where the undecided are
    the themes' stored totals minus them (the moderation queue, the OGP requirements)."""
    return select(Proposal.id).where(Proposal.status.in_(statuses))


def count_proposals(filters: ProposalFilters, at_most: int | None = None) -> int:
    """How many visible proposals the filters match. Without a status or a search, the
    themes' stored totals answer (exact: kept with every change) instead of a COUNT over
    the theme on every page. With `at_most`, a search stops counting at `at_most + 1`
    matches (a common word matches thousands; counting them all grew with the data)."""
    if filters.status is None and filters.q is None:
        if filters.theme is not None:
            return filters.theme.proposal_count
        return db.session.scalar(select(func.sum(Theme.proposal_count))
                                 .where(Theme.id.in_(_current_plan_themes()))) or 0
    if filters.q and at_most is not None:
        matching = _filtered(select(Proposal.id), filters).limit(at_most + 1).subquery()
        return db.session.scalar(select(func.count()).select_from(matching)) or 0
    return db.session.scalar(_filtered(select(func.count(Proposal.id)), filters)) or 0


def list_proposals(filters: ProposalFilters, cards: bool = False,
                   count_at_most: int | None = None) -> Page:
    """One page of visible proposals and the total: at most two queries. With `cards`, the
    items are `Card` rows; otherwise Proposal objects with their theme and author. With
    `count_at_most`, a search's total stops there (`Page.more` says so) and the pages
    beyond it are not offered."""
    total = count_proposals(filters, count_at_most)
    more = count_at_most is not None and total > count_at_most
    total = min(total, count_at_most) if more else total
    ids = _page_ids(filters, common=bool(filters.q) and total >= COMMON_MATCHES) \
        .scalar_subquery()
    if cards:
        statement = (
            select(*CARD_COLUMNS)
            .join(Theme, Theme.id == Proposal.theme_id)
            .join(User, User.id == Proposal.author_id)
            .where(Proposal.id.in_(ids))
            .order_by(*SORTS[filters.sort])
        )
        items = [Card(*row) for row in db.session.execute(statement)]
    else:
        statement = (
            select(Proposal)
            .options(joinedload(Proposal.theme), joinedload(Proposal.author))
            .where(Proposal.id.in_(ids))
            .order_by(*SORTS[filters.sort])
        )
        items = list(db.session.scalars(statement).unique())
    return Page(items=items, total=total, page=filters.page, per_page=filters.per_page,
                more=more)


@dataclass(frozen=True)
class ThemeSummary:
    theme: Theme
    proposal_count: int
    vote_count: int


def _plan_themes(plan_id: int | None) -> Select:
    from app.plans.services import current_plan_id_subquery

    plan = current_plan_id_subquery() if plan_id is None else plan_id
    return select(Theme).where(Theme.plan_id == plan).order_by(Theme.position, Theme.id)


def theme_summaries(plan_id: int | None = None) -> list[ThemeSummary]:
    """The themes of a plan (default: the current one) in mesa order with their visible
    proposal and support totals (the stored counters of each theme: one query)."""
    themes = db.session.scalars(_plan_themes(plan_id)).all()
    return [ThemeSummary(theme, theme.proposal_count, theme.vote_count) for theme in themes]


def all_themes(plan_id: int | None = None) -> list[Theme]:
    """The themes of a plan (default: the current one), in order."""
    return list(db.session.scalars(_plan_themes(plan_id)))


def find_theme(slug: str | None) -> Theme | None:
    """The theme with `slug`, or None (forms show the message next to the field)."""
    if not slug or not isinstance(slug, str) or len(slug) > 80:
        return None
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def similar_proposals(theme: Theme | None, title: str | None, limit: int = 5) -> list[Proposal]:
    """Up to `limit` visible proposals of `theme` whose text shares words with `title`."""
    title = (title or "").strip()[:MAX_QUERY_LENGTH]
    if theme is None or len(title) < 3:
        return []
    ids = similar_ids(title, theme.id, limit)
    if not ids:
        return []
    found = {
        proposal.id: proposal
        for proposal in db.session.scalars(
            select(Proposal).where(Proposal.id.in_(ids)).options(joinedload(Proposal.author))
        ).unique()
    }
    return [found[i] for i in ids if i in found]
