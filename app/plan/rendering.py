"""The plan document's HTML (`plan/_document.html`), rendered once per content.

/plan shows forty commitments of Markdown, facts and milestone tables: ~100 kB of HTML that
is the same for every reader until the plan or a source proposal's support count changes.
Laying it out again on each request cost 10-15 ms of CPU at every scale; so the HTML is kept
per *content* (the document dict itself, support counts included, the version label, the
language, the URL prefix and the template's own file), in a small per-process table. Any
change to the plan changes the document and so the key: nothing is ever served stale, and
nothing has to be invalidated. Moderators' pages (with their controls and CSRF tokens) are
always rendered.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

KEEP = 16  # documents kept per process (~100 kB each)
_kept: OrderedDict[str, Markup] = OrderedDict()
_lock = threading.Lock()


def _template_signature() -> list:
    path = Path(current_app.root_path) / "templates" / "plan" / "_document.html"
    try:
        stat = path.stat()
    except OSError:
        return [None, None]
    return [stat.st_mtime_ns, stat.st_size]


def content_key(document: dict, version_label: str | None) -> str:
    """A digest of everything the public HTML of `document` depends on (hex, 64 chars)."""
    text = json.dumps([document, version_label, str(get_locale()), request.script_root,
                       _template_signature()], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def document_html(document: dict, version_label: str | None = None,
                  controls: bool = False) -> Markup:
    """`plan/_document.html` for `document` (the serializer's dict) as safe HTML.

    Public renders (`controls` false) are kept per content key (`KEEP` per process); with
    `controls` (moderators' buttons and CSRF tokens) it is rendered each time.
    """
    if controls:
        return Markup(render_template("plan/_document.html", document=document,  # noqa: S704
                                      version_label=version_label, controls=True))
    key = content_key(document, version_label)
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            return html
    # Rendered by Jinja with autoescape on: the result is already safe HTML.
    html = Markup(render_template("plan/_document.html", document=document,  # noqa: S704
                                  version_label=version_label, controls=False))
    with _lock:
        _kept[key] = html
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    return html


def forget() -> None:
    """Drop every kept render (tests, benchmarks of the first render)."""
    with _lock:
        _kept.clear()
