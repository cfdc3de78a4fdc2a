"""Per-process caches of aggregates (app/cache.py): off in the tests, fresh after their TTL."""
from __future__ import annotations

import pytest

from app import cache
from app.proposals.queries import theme_summaries
from app.templating import SECTOR_LABELS
from app.transparency import queries as transparency
from tests.factories import ProposalFactory, ThemeFactory


@pytest.fixture
def caching(app):
    """Caches on for one test (as in production), emptied before and after."""
    saved = app.config["TRANSPARENCY_CACHE_SECONDS"]
    app.config.update(TRANSPARENCY_CACHE_SECONDS=60)
    cache.clear()
    yield
    cache.clear()
    app.config.update(TRANSPARENCY_CACHE_SECONDS=saved)


def _count(theme):
    return next(s.proposal_count for s in theme_summaries() if s.theme.id == theme.id)


def test_theme_totals_are_exact_at_once_even_with_the_caches_on(db, caching):
    theme = ThemeFactory()
    ProposalFactory(theme=theme)
    assert _count(theme) == 1
    ProposalFactory(theme=theme)
    assert _count(theme) == 2


def test_transparency_statistics_are_cached_but_labels_follow_the_language(app, db, caching):
    theme = ThemeFactory()
    ProposalFactory(theme=theme)
    with app.test_request_context("/"):
        first = {row.key: row.proposals for row in transparency.by_theme()}
        ProposalFactory(theme=theme)
        assert {row.key: row.proposals for row in transparency.by_theme()} == first
        sectors = transparency.by_sector({key: f"<{key}>" for key in SECTOR_LABELS})
        assert all(row.label == f"<{row.key}>" for row in sectors)
        cache.clear()
        assert ({row.key: row.proposals for row in transparency.by_theme()}[theme.slug]
                == first[theme.slug] + 1)
