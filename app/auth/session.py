"""Flask-Login wiring and the one place where roles are checked."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required  # noqa: F401 - re-exported

from app.extensions import db, login_manager
from app.models import User


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Inicie sesión para continuar.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Ids look like "42:token"; a rotated token (logout, password change) no longer loads."""
    raw_id, _, token = (user_id or "").partition(":")
    if not (raw_id.isascii() and raw_id.isdigit()) or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_token != token or not user.is_active:
        return None
    return user


def role_required(role: str):
    """Allow the view to users with `role` or a higher one; 401 when signed out, 403 otherwise."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = role  # read by the route-audit test
        return wrapped

    return decorator
