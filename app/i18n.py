"""Locale and time zone choice: the account's locale, then Accept-Language, then Spanish."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user

GUATEMALA_TZ = "America/Guatemala"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and workers speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")  # the language switch, for visitors without an account
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def select_timezone() -> str:
    return GUATEMALA_TZ
