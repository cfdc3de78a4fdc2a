"""Per-process caches of aggregates (app/cache.py): off in the tests, fresh after their TTL."""
from __future__ import annotations

import pytest

from app import cache
from app.proposals.queries import theme_summaries, theme_totals
from app.templating import SECTOR_LABELS
from app.transparency import queries as transparency
from tests.factories import ProposalFactory, ThemeFactory


@pytest.fixture
def caching(app):
    """Caches on for one test (as in production), emptied before and after."""
    saved = {name: app.config[name]
             for name in ("THEME_TOTALS_CACHE_SECONDS", "TRANSPARENCY_CACHE_SECONDS")}
    app.config.update(THEME_TOTALS_CACHE_SECONDS=60, TRANSPARENCY_CACHE_SECONDS=60)
    cache.clear()
    yield
    cache.clear()
    app.config.update(saved)


def _count(theme):
    return next(s.proposal_count for s in theme_summaries() if s.theme.id == theme.id)


def test_theme_totals_are_exact_when_the_cache_is_off(db):
    theme = ThemeFactory()
    ProposalFactory(theme=theme)
    assert _count(theme) == 1
    ProposalFactory(theme=theme)
    assert _count(theme) == 2


def test_theme_totals_are_kept_until_the_cache_is_cleared(db, caching):
    theme = ThemeFactory()
    ProposalFactory(theme=theme, vote_count=3)
    assert theme_totals()[theme.id] == (1, 3)
    ProposalFactory(theme=theme, vote_count=4)
    assert theme_totals()[theme.id] == (1, 3)  # cached
    cache.clear("THEME_TOTALS_CACHE_SECONDS")
    assert theme_totals()[theme.id] == (2, 7)


def test_theme_totals_expire_after_their_ttl(db, caching, monkeypatch):
    theme = ThemeFactory()
    ProposalFactory(theme=theme)
    clock = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock[0])
    assert theme_totals()[theme.id][0] == 1
    ProposalFactory(theme=theme)
    clock[0] += 59
    assert theme_totals()[theme.id][0] == 1
    clock[0] += 2
    assert theme_totals()[theme.id][0] == 2


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
