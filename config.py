"""Settings, read from the environment (12-factor). No secret has a fallback value."""
from __future__ import annotations

import os
from datetime import timedelta


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means "the SQLite file cocrea.db in the instance folder" (resolved in create_app).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 15000

    REQUIRE_EMAIL_CONFIRMATION = _flag("REQUIRE_EMAIL_CONFIRMATION", False)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
    # Several deployments (or test runs) may share one Redis: each counts under its own prefix.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")
    # Per account strict, per IP generous: a mesa room of a hundred people shares one address.
    RATELIMIT_LOGIN_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "10 per 5 minutes")
    RATELIMIT_LOGIN_IP = os.environ.get("RATELIMIT_LOGIN_IP", "300 per 5 minutes")
    RATELIMIT_SIGNUP_IP = os.environ.get("RATELIMIT_SIGNUP_IP", "300 per 5 minutes")
    RATELIMIT_RESET_IP = os.environ.get("RATELIMIT_RESET_IP", "100 per 5 minutes")
    RATELIMIT_RESET_ACCOUNT = os.environ.get("RATELIMIT_RESET_ACCOUNT", "5 per 15 minutes")
    # Supports (app/votes/limits.py has the defaults): a room of 300 supporting 10 proposals
    # each in a minute needs SUPPORT_RATE_LIMIT_PER_IP=6000/minute (README, Performance).
    SUPPORT_RATE_LIMIT = os.environ.get("SUPPORT_RATE_LIMIT")
    SUPPORT_RATE_LIMIT_PER_IP = os.environ.get("SUPPORT_RATE_LIMIT_PER_IP")
    REDIS_URL = os.environ.get("REDIS_URL")
    MAIL_QUEUE_NAME = os.environ.get("MAIL_QUEUE_NAME", "cocrea-mail")  # the RQ queue of mail
    # The site's public address ("https://cocrea.example.gt"): the only source of absolute
    # URLs (emails, .ics, API, CLI); never the request's Host header. Required in production.
    BASE_URL = os.environ.get("BASE_URL")

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _flag("MAIL_USE_SSL", False)  # implicit TLS (port 465 turns it on too)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Cocrea <no-responder@cocrea.local>"
    )
    # Without REDIS_URL, committed mail is sent on a background thread ("0": in the request).
    MAIL_ASYNC = _flag("MAIL_ASYNC", True)

    HTMX_URL = os.environ.get("HTMX_URL")  # None: the pinned copy in app/static/vendor
    HTMX_SRI = os.environ.get("HTMX_SRI")

    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = "America/Guatemala"
    LANGUAGES = ("es", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_IDLE_HOURS", "12")))
    SESSION_REFRESH_EACH_REQUEST = True
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST = False
    # A larger body is an attack; the repository's upload route alone allows MAX_UPLOAD_MB.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Sign-up forms sent faster than this are from bots.
    SIGNUP_MIN_SECONDS = int(os.environ.get("SIGNUP_MIN_SECONDS", "3"))
    # Each sign-up form carries a single-use stamp; a form sent back without one is refused.
    SIGNUP_STAMP_REQUIRED = _flag("SIGNUP_STAMP_REQUIRED", True)
    EMAIL_CONFIRMATION_MAX_AGE = 7 * 24 * 3600  # seconds

    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead: a long mesa day must not expire forms
    PASSWORD_RESET_MAX_AGE = 3600  # seconds
    PASSWORD_MIN_LENGTH = 10
    # scrypt at n=2**14, r=8, p=5: one of the settings OWASP's Password Storage Cheat Sheet
    # lists as equal in strength to n=2**17, r=8, p=1, with 16 MiB of memory per hash instead
    # of 128 MiB and about two thirds of its CPU (a mesa room of 300 signing in within a
    # minute fits in two cores; README, Performance). Hashes made with another method are
    # rehashed at their next sign-in (app/auth/services.py).
    PASSWORD_HASH_METHOD = "scrypt:16384:8:5"  # noqa: S105 - a method name, not a secret

    # Per-process caches of aggregates (seconds; 0 turns one off): app/cache.py.
    TRANSPARENCY_CACHE_SECONDS = float(os.environ.get("TRANSPARENCY_CACHE_SECONDS", "300"))
    # The current plan's title and status in every page header (app/plans/services.py).
    CURRENT_PLAN_CACHE_SECONDS = float(os.environ.get("CURRENT_PLAN_CACHE_SECONDS", "10"))
    # Rendered plan PDFs (app/plan/pdf.py): kept here for every worker ("" resolves to
    # instance/pdf-cache), support counts refreshed after this age, the draft rendered ahead
    # in the background after each change to the plan.
    PDF_CACHE_DIR = os.environ.get("PDF_CACHE_DIR", "")
    PDF_MAX_AGE_SECONDS = float(os.environ.get("PDF_MAX_AGE_SECONDS", "600"))
    PDF_RENDER_AHEAD = _flag("PDF_RENDER_AHEAD", True)
    # The document repository (app/repository/storage.py): largest upload in MB, and where
    # files are kept: "local" (REPOSITORY_DIR, default instance/repository) or "s3".
    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "20"))
    REPOSITORY_STORAGE = os.environ.get("REPOSITORY_STORAGE", "local")
    REPOSITORY_DIR = os.environ.get("REPOSITORY_DIR")
    REPOSITORY_S3_BUCKET = os.environ.get("REPOSITORY_S3_BUCKET")
    REPOSITORY_S3_ENDPOINT_URL = os.environ.get("REPOSITORY_S3_ENDPOINT_URL")
    REPOSITORY_S3_PREFIX = os.environ.get("REPOSITORY_S3_PREFIX", "")
    # URLs per sitemap document (the protocol allows 50,000): app/findability/sitemap.py.
    SITEMAP_PAGE_SIZE = int(os.environ.get("SITEMAP_PAGE_SIZE", "50000"))
    # Comment threads show this many top-level comments per page (pinned first, newest next).
    COMMENTS_PER_PAGE = 100
    DATA_LICENSE = os.environ.get("DATA_LICENSE", "CC BY 4.0")
    # Where people write about their data (the privacy notice and the terms show it).
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "gobierno-abierto@cocrea.local")
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    JSON_LOGS = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-only-not-a-secret"  # noqa: S105 - never used outside the test suite
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    REQUIRE_EMAIL_CONFIRMATION = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    # Fast hashing keeps the suite quick; production parameters are tested explicitly.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105 - a method name, not a secret
    SIGNUP_MIN_SECONDS = 0  # off unless a test turns it on
    SIGNUP_STAMP_REQUIRED = False  # tests post forms without fetching them; a test turns it on
    MAIL_SERVER = None
    MAIL_ASYNC = False  # deliveries happen before the request returns, so tests can see them
    SERVER_NAME = None
    BASE_URL = "http://localhost"  # the test client's host
    TRANSPARENCY_CACHE_SECONDS = 0
    CURRENT_PLAN_CACHE_SECONDS = 0
    PDF_CACHE_DIR = None  # memory only: nothing written outside the test's own folders
    PDF_RENDER_AHEAD = False  # renders happen in the request, where tests can see them


class ProductionConfig(Config):
    ENV_NAME = "production"
    REQUIRE_EMAIL_CONFIRMATION = _flag("REQUIRE_EMAIL_CONFIRMATION", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    JSON_LOGS = True

    @classmethod
    def validate(cls, config_class: type | None = None) -> None:
        """Refuse to start without the settings that have no safe default.

        `config_class` (default: this class) supplies BASE_URL when the environment does not.
        Raises RuntimeError naming what is missing or malformed.
        """
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        base_url = os.environ.get("BASE_URL") or getattr(config_class or cls, "BASE_URL", None)
        if not base_url:
            missing.append("BASE_URL")
        if missing:
            raise RuntimeError(
                "Production needs these environment variables: " + ", ".join(missing)
            )
        check_base_url(base_url)
        check_shared_rate_limits(
            os.environ.get("RATELIMIT_STORAGE_URI")
            or getattr(config_class or cls, "RATELIMIT_STORAGE_URI", None) or "memory://")


def web_workers() -> int:
    """The gunicorn workers this deployment runs: WEB_CONCURRENCY, else gunicorn.conf.py's
    default (2 × cores + 1, at least 2)."""
    value = os.environ.get("WEB_CONCURRENCY", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return 2


def check_shared_rate_limits(storage_uri: str, workers: int | None = None) -> None:
    """Rate limits kept in memory count per process: with more than one worker, N workers
    would allow N times each limit. RuntimeError unless the storage is shared or there is one
    worker."""
    workers = web_workers() if workers is None else workers
    if storage_uri.startswith("memory://") and workers > 1:
        raise RuntimeError(
            f"RATELIMIT_STORAGE_URI is {storage_uri!r} with {workers} workers: each would keep "
            "its own counters. Set RATELIMIT_STORAGE_URI=redis://... (shared by every worker), "
            "or run one worker (WEB_CONCURRENCY=1).")


def check_base_url(value: str) -> str:
    """`value` without a trailing slash when it is an http(s) address with a host and no
    query or fragment ("https://cocrea.example.gt" or ".../prefix"); RuntimeError otherwise."""
    from urllib.parse import urlsplit

    parts = urlsplit((value or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or "@" in parts.netloc:
        raise RuntimeError(
            f"BASE_URL must be the site's address, like https://cocrea.example.gt (got {value!r})")
    return value.strip().rstrip("/")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for_env(name: str | None = None) -> type[Config]:
    name = (name or os.environ.get("COCREA_ENV") or "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown COCREA_ENV {name!r}; use one of {sorted(CONFIGS)}") from None
