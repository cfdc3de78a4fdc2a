"""Cocrea: the co-creation platform for OGP national action plans."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from config import Config, ProductionConfig, config_for_env

# Every feature package that has a blueprint, in the order the navigation shows them.
BLUEPRINTS = (
    "main", "auth", "account", "proposals", "votes", "comments", "moderation", "plan",
    "mesas", "transparency", "api", "ops", "plans", "admin", "repository", "feeds",
    "findability",
)


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, errors, commands."""
    config_class = config_class or config_for_env()
    if config_class is ProductionConfig or getattr(config_class, "ENV_NAME", "") == "production":
        ProductionConfig.validate(config_class)
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _resolve_defaults(app)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_hooks(app)
    return app


def _resolve_defaults(app: Flask) -> None:
    """Fill the settings whose default depends on the instance folder."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = Path(app.instance_path) / "cocrea.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config.get("SECRET_KEY"):
        # Development only (production refused to start above): one random key, kept
        # in the instance folder so sessions survive restarts.
        key_file = Path(app.instance_path) / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            os.chmod(key_file, 0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()
    if app.config.get("BASE_URL"):
        from config import check_base_url

        app.config["BASE_URL"] = check_base_url(app.config["BASE_URL"])
        if app.config.get("ENV_NAME") == "production" and app.config.get("TRUSTED_HOSTS") is None:
            # A request for any other host answers 400 (Werkzeug checks the Host header).
            from urllib.parse import urlsplit

            app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["BASE_URL"]).hostname]
    if app.config.get("PDF_CACHE_DIR") == "":
        app.config["PDF_CACHE_DIR"] = str(Path(app.instance_path) / "pdf-cache")


def register_extensions(app: Flask) -> None:
    from app import database, i18n
    from app.auth.session import init_login
    from app.extensions import babel, csrf, db, limiter, migrate

    database.configure_engine_options(app)
    db.init_app(app)
    with app.app_context():
        database.install_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    init_login(app)


def register_blueprints(app: Flask) -> None:
    import importlib

    for name in BLUEPRINTS:
        module = importlib.import_module(f"app.{name}.views")
        app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app import forms, templating

    templating.register(app)
    forms.register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)


def register_hooks(app: Flask) -> None:
    from app import logging_setup, security

    logging_setup.configure(app)
    security.register(app)
