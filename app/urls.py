"""Redirect targets: only paths on this site, never another host (no open redirects)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a same-site path ("/x?y"), otherwise `fallback`."""
    if not target or not isinstance(target, str):
        return fallback
    target = target.strip()
    if any(ch in target for ch in ("\\", "\r", "\n", "\t", "\x00")):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def back_to_referrer(fallback: str) -> str:
    """The page the form was on, when it is on this site (used for no-JS form posts)."""
    referrer = request.referrer
    if referrer:
        parts = urlsplit(referrer)
        if parts.netloc == request.host:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            return safe_next(path, fallback)
    return safe_next(request.form.get("next"), fallback)


def page_arg(name: str, maximum: int) -> int:
    """?<name>=N as a page number: 1 when missing or not a sensible number (a forgiving
    reader: never an error page), at most `maximum`. isascii: "²".isdigit() is true, but
    int("²") raises."""
    value = request.args.get(name, "")
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        return 1
    return min(max(int(value), 1), maximum)


COMMENT_ANCHOR = "comentario-{id}"  # the one scheme for a comment's anchor (page, links, mail)


def comment_url(comment, **kwargs) -> str:
    """The proposal page scrolled to `comment` (`/proposals/<id>#comentario-<id>`); kwargs go to
    url_for (e.g. `_external=True` for emails)."""
    from flask import url_for

    return url_for("proposals.detail", proposal_id=comment.proposal_id,
                   _anchor=COMMENT_ANCHOR.format(id=comment.id), **kwargs)
