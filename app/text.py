"""User text to safe HTML: a small Markdown subset, sanitized by an allow-list.

Markdown-it renders with raw HTML disabled; nh3 (ammonia) then keeps only the tags of the
subset and http/https/mailto links, and forces rel="nofollow noopener noreferrer". The result
is stored beside the source and shown as is; stored HTML never comes from input.
"""
from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "em", "strong", "a", "code", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .disable(["image", "heading", "lheading", "fence", "code", "hr", "table"], ignoreInvalid=True)
)


def render_markdown(source: str | None) -> str:
    """Sanitized HTML for `source`; empty string for empty input."""
    if not source:
        return ""
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


_MARKUP = re.compile(r"[*_`>#\[\]]+|\]\([^)]*\)")
_SPACE = re.compile(r"\s+")


def excerpt(source: str | None, length: int = 220) -> str:
    """Plain text of a Markdown `source` for a card: markup signs dropped, lines joined, cut
    at a word before `length` characters with "…" (the card clamps it to two lines)."""
    text = _SPACE.sub(" ", _MARKUP.sub("", source or "")).strip()
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
