"""Readiness (/readyz) and Prometheus metrics (/metrics), for load balancers and operators."""
from __future__ import annotations

import hmac
import ipaddress
import os

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import text

from app.extensions import db, limiter
from app.ops import metrics, static

bp = Blueprint("ops", __name__)

NO_STORE = {"Cache-Control": "no-store"}


@bp.record_once
def _setup(state) -> None:
    app = state.app
    app.config.setdefault("METRICS_TOKEN", os.environ.get("METRICS_TOKEN") or None)
    app.config.setdefault(
        "METRICS_ALLOWED_NETWORKS", os.environ.get("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32"))
    app.config.setdefault("METRICS_RATE_LIMIT", os.environ.get("METRICS_RATE_LIMIT", "30/minute"))
    app.config.setdefault("READYZ_TIMEOUT_SECONDS", 2)
    metrics.init_app(app)
    static.init_app(app)


def redis_urls() -> list[str]:
    """The Redis servers this instance depends on (rate limits, mail queue)."""
    urls = []
    for key in ("RATELIMIT_STORAGE_URI", "REDIS_URL"):
        url = current_app.config.get(key) or ""
        if url.startswith(("redis://", "rediss://", "unix://")) and url not in urls:
            urls.append(url)
    return urls


def check_database() -> None:
    db.session.execute(text("SELECT 1"))


def check_redis(url: str) -> None:
    import redis

    seconds = current_app.config["READYZ_TIMEOUT_SECONDS"]
    client = redis.Redis.from_url(url, socket_connect_timeout=seconds, socket_timeout=seconds)
    try:
        client.ping()
    finally:
        client.close()


def check_rate_limits() -> str:
    """"ok" when the limiter's storage answers and is shared by every worker (production)."""
    from config import check_shared_rate_limits

    try:
        check_shared_rate_limits(current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    except RuntimeError:
        current_app.logger.warning("readyz: rate limits are not shared by the workers")
        return "not shared (memory:// with several workers)"
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return "ok"
    try:
        if not limiter_storage_answers():
            return "unavailable"
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        return f"unavailable ({type(error).__name__})"
    return "ok"


def limiter_storage_answers() -> bool:
    return bool(limiter.storage.check())


@bp.route("/readyz")
def readyz():
    """Readiness: 200 when the database and Redis (when configured) answer, else 503."""
    checks: dict[str, str] = {}
    try:
        check_database()
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        checks["database"] = f"unavailable ({type(error).__name__})"
        current_app.logger.warning("readyz: database check failed: %s", type(error).__name__)
    for url in redis_urls():
        try:
            check_redis(url)
            checks.setdefault("redis", "ok")
        except Exception as error:  # noqa: BLE001
            checks["redis"] = f"unavailable ({type(error).__name__})"
            current_app.logger.warning("readyz: redis check failed: %s", type(error).__name__)
    if current_app.config.get("ENV_NAME") == "production":
        checks["rate_limits"] = check_rate_limits()
    failed = sorted(name for name, result in checks.items() if result != "ok")
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks}
    return jsonify(body), 503 if failed else 200, NO_STORE


def metrics_allowed() -> bool:
    """With `Authorization: Bearer <METRICS_TOKEN>`; outside production also from a configured
    network. In production the address proves nothing: behind a reverse proxy on the same host
    every visitor comes from 127.0.0.1, so only the token opens /metrics (none set: nobody)."""
    token = current_app.config.get("METRICS_TOKEN")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        if hmac.compare_digest(header[7:].strip().encode(), token.encode()):
            return True
    if current_app.config.get("ENV_NAME") == "production":
        return False
    try:
        address = ipaddress.ip_address((request.remote_addr or "").split("%")[0])
    except ValueError:
        return False
    for network in str(current_app.config.get("METRICS_ALLOWED_NETWORKS") or "").split(","):
        network = network.strip()
        if not network:
            continue
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            current_app.logger.warning("METRICS_ALLOWED_NETWORKS: bad network %r", network)
    return False


def _metrics_limit() -> str:
    return current_app.config["METRICS_RATE_LIMIT"]


@bp.route("/metrics")
@limiter.limit(_metrics_limit, deduct_when=lambda response: response.status_code == 403)
def prometheus_metrics():
    """Prometheus exposition; refused (403) without the token (in development: outside the
    allowed networks without it)."""
    if not metrics_allowed():
        abort(403)
    from prometheus_client import CONTENT_TYPE_LATEST

    return metrics.render(), 200, {"Content-Type": CONTENT_TYPE_LATEST, **NO_STORE}
