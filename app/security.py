"""Security in one place: response headers, input hygiene, rate-limit answers, sessions."""
from __future__ import annotations

from flask import Flask, abort, current_app, g, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

from app.database import MAX_ID

# No inline script or style anywhere: htmx is loaded from /static and configured by meta tag
# (allowEval false, no script tags in swapped content), so no 'unsafe-inline' or 'unsafe-eval'.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    trusted = app.config.get("TRUSTED_HOSTS")
    if trusted:  # production: BASE_URL's host (set in create_app)
        app.wsgi_app = TrustedHostMiddleware(app.wsgi_app, trusted)
    hops = app.config.get("PROXY_FIX_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _register_limiter_switch()
    app.before_request(_input_hygiene)
    app.after_request(_security_headers)
    app.register_error_handler(RateLimitExceeded, _rate_limited)


class TrustedHostMiddleware:
    """Answers 400 to a request whose Host (after ProxyFix) is not one of `trusted`.

    Outside Flask on purpose: nothing of the app (error pages build URLs) runs for a host that
    the site does not answer to, so no link can be built from an attacker's Host header.
    """

    def __init__(self, wsgi_app, trusted: list[str]):
        self.wsgi_app = wsgi_app
        self.trusted = list(trusted)

    def __call__(self, environ, start_response):
        from werkzeug.exceptions import SecurityError
        from werkzeug.wsgi import get_host

        try:
            get_host(environ, self.trusted)
        except SecurityError:
            body = b"400 Bad Request: unknown host\n"
            start_response("400 Bad Request", [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
            return [body]
        return self.wsgi_app(environ, start_response)


def _register_limiter_switch() -> None:
    """Limits follow each app's RATELIMIT_ENABLED (the limiter object is shared by apps)."""
    from app.extensions import limiter

    if _limits_off not in limiter._request_filters:
        limiter.request_filter(_limits_off)


def _limits_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)




def _input_hygiene():
    """Refuse what no database should see: a 400 or 404, never a 500 from the driver."""
    if "\x00" in request.path:
        abort(400)
    if not request.path.startswith("/api/"):  # the API answers with its own JSON 404
        for value in (request.view_args or {}).values():
            if isinstance(value, int) and not 0 <= value <= MAX_ID:
                abort(404)
    # A NUL byte is never meaningful text (and PostgreSQL refuses it).
    for key, value in request.args.items(multi=True):
        if "\x00" in key or "\x00" in value:
            abort(400, _("El texto enviado contiene caracteres no permitidos."))
    _strip_nul_from_form()


def _strip_nul_from_form() -> None:
    """A form post with NUL characters: the API refuses it; a page's form gets the text
    without them and the fields' names in `g.nul_fields`, so `app.forms.validate` answers
    with the same form, the message next to each field (never a bare error page)."""
    if request.method != "POST" or not request.form:
        return
    dirty = [key for key, value in request.form.items(multi=True)
             if "\x00" in key or "\x00" in value]
    if not dirty:
        return
    if request.path.startswith("/api/") or any("\x00" in key for key in dirty):
        abort(400, _("El texto enviado contiene caracteres no permitidos."))
    g.nul_fields = tuple(dict.fromkeys(dirty))
    request.form = ImmutableMultiDict(
        [(key, value.replace("\x00", "")) for key, value in request.form.items(multi=True)])


def _security_headers(response):
    headers = response.headers
    csp = CSP
    url = current_app.config.get("HTMX_URL")
    if url and url.startswith("https://"):
        origin = "/".join(url.split("/")[:3])
        csp = csp.replace("script-src 'self'", f"script-src 'self' {origin}")
    headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if current_app.config.get("ENV_NAME") == "production":
        headers.setdefault("Strict-Transport-Security", HSTS)
    # Pages for a signed-in person may hold their data: never kept by shared caches.
    if _signed_in() and "Cache-Control" not in headers:
        headers["Cache-Control"] = "private, no-store"
    return response


def _signed_in() -> bool:
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # noqa: BLE001 - no user loader context (e.g. static files)
        return False


def _rate_limited(error: RateLimitExceeded):
    """The 429 page in Spanish; Flask-Limiter adds Retry-After (seconds) to it."""
    from app.errors import error_response

    retry = _retry_seconds(error)
    if retry:
        minutes = max(1, (retry + 59) // 60)
        message = _("Ha realizado demasiados intentos. Intente de nuevo en %(n)d minuto(s).",
                    n=minutes)
    else:
        message = _("Ha realizado demasiados intentos. Espere unos minutos e intente de nuevo.")
    body, status = error_response(429, message, code="rate_limited")
    response = current_app.make_response((body, status))
    if retry:
        response.headers["Retry-After"] = str(retry)
    return response


def _retry_seconds(error: RateLimitExceeded) -> int | None:
    import time

    from app.extensions import limiter

    current = limiter.current_limit
    if current is None:
        return None
    return max(1, int(current.reset_at - time.time()))
