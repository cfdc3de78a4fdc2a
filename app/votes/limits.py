"""Rate limits of supports and comments: strict per account, generous per IP address.

A mesa room of a hundred participants shares one public address, so the per-IP limits only
stop floods; the per-account limits stop a single account. Each limit is a setting.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

DEFAULTS = {
    "SUPPORT_RATE_LIMIT": "60/minute",
    "SUPPORT_RATE_LIMIT_PER_IP": "600/minute",
    "COMMENT_RATE_LIMIT": "10/minute",
    "COMMENT_RATE_LIMIT_PER_IP": "300/minute",
}


def limit_for(setting: str) -> Callable[[], str]:
    """The limit string of `setting`, read from the app config at request time."""

    def value() -> str:
        return current_app.config.get(setting) or DEFAULTS[setting]

    return value


def account_key() -> str:
    """The signed-in account; anonymous requests (about to be refused) count by address."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return f"ip:{get_remote_address()}"
