"""Addresses: absolute URLs from BASE_URL only, and redirect targets on this site only.

`absolute_url` is the one way to build a URL that leaves the site (emails, .ics files, API
`url` fields, OpenAPI servers, CLI commands, background jobs): it never reads the request's
Host header, which an attacker chooses. `safe_next` and `back_to_referrer` keep redirects on
this site (no open redirects).
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import current_app, request


def base_url() -> str:
    """BASE_URL without a trailing slash ("https://cocrea.example.gt"); needs an app context.

    Raises RuntimeError when it is not set (production refuses to start without it)."""
    value = current_app.config.get("BASE_URL")
    if not value:
        raise RuntimeError("BASE_URL is not set: absolute URLs cannot be built")
    return value.rstrip("/")


def site_host() -> str:
    """BASE_URL's host name ("cocrea.example.gt"), e.g. for the UID of calendar events."""
    return urlsplit(base_url()).hostname or "cocrea"


def absolute_url(endpoint: str, _anchor: str | None = None, **values) -> str:
    """The absolute URL of `endpoint` with `values`, on BASE_URL: the same inside a request,
    in a CLI command or in a background job. Raises werkzeug's BuildError like url_for."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    url = adapter.build(endpoint, values, force_external=True)
    if _anchor:
        url += "#" + quote(_anchor, safe="-_.~")
    return url


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


def comment_url(comment, absolute: bool = False) -> str:
    """The page of `comment` scrolled to it: its proposal's (`/proposals/<id>#comentario-<id>`)
    or, for a consultation comment or a comment on a progress update, its commitment's
    (`/plan/commitments/<id>#comentario-<id>`);
    on BASE_URL with `absolute` (emails), else a site path."""
    from flask import url_for

    build = absolute_url if absolute else url_for
    anchor = COMMENT_ANCHOR.format(id=comment.id)
    if getattr(comment, "commitment_id", None) is not None:
        return build("consultation.commitment", commitment_id=comment.commitment_id,
                     _anchor=anchor)
    if getattr(comment, "update_id", None) is not None:  # on a progress update
        return build("consultation.commitment", commitment_id=comment.update.commitment_id,
                     _anchor=anchor)
    return build("proposals.detail", proposal_id=comment.proposal_id, _anchor=anchor)
