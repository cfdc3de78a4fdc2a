"""Per-process caches for aggregates that are costly to compute and may be a little stale.

`cached(setting, key, compute)` returns `compute()`, kept in this process for the number of
seconds in `current_app.config[setting]` (0 or missing: no caching, as in the test suite).
Entries are keyed by database URL too, so two applications in one process never share them.
`clear()` empties every cache (tests, and after bulk changes in the same process).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from app.extensions import db

T = TypeVar("T")
MAX_ENTRIES = 256
_entries: dict[tuple, tuple[float, object]] = {}
_lock = threading.Lock()


def cached(setting: str, key: Hashable, compute: Callable[[], T]) -> T:
    seconds = float(current_app.config.get(setting) or 0)
    if seconds <= 0:
        return compute()
    full_key = (setting, str(db.engine.url), key)
    now = time.monotonic()
    entry = _entries.get(full_key)
    if entry is not None and now - entry[0] < seconds:
        return entry[1]  # type: ignore[return-value]
    value = compute()
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[full_key] = (now, value)
    return value


def clear(setting: str | None = None) -> None:
    with _lock:
        for key in [key for key in _entries if setting is None or key[0] == setting]:
            del _entries[key]
