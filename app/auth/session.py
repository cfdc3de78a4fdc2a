"""Flask-Login wiring, the device session of each request, and the one place roles are checked."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required  # noqa: F401 - re-exported
from sqlalchemy.exc import OperationalError

from app.auth import devices
from app.extensions import db, login_manager
from app.models import User, UserSession


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Inicie sesión para continuar.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_touch_device_session)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Ids look like "42:token"; a session ended (sign-out, revoked, expired) no longer loads."""
    raw_id, _, token = (user_id or "").partition(":")
    if not (raw_id.isascii() and raw_id.isdigit()) or not token or len(token) > 100:
        return None
    record = devices.find_session(int(raw_id), token)
    if record is None or not record.user.is_active:
        return None
    g.device_session = record
    record.user.session_token = token
    return record.user


def current_device_session() -> UserSession | None:
    """The session row of this request's sign-in, or None when signed out."""
    if not current_user.is_authenticated:
        return None
    return g.get("device_session")


def _touch_device_session() -> None:
    """Keep "last seen" fresh, before the view runs, in a transaction of its own.

    The read that loaded the user is ended first, so on SQLite the UPDATE begins its own
    transaction (and waits for the lock) instead of upgrading a read.
    """
    if request.endpoint in (None, "static"):
        return
    record = current_device_session()
    if record is None or not devices.touch_due(record):
        return
    session_id = record.id
    db.session.commit()  # nothing was written: this only ends the read transaction
    try:
        devices.touch(session_id)
        db.session.commit()
    except OperationalError:  # a busy database costs the timestamp, never the page
        db.session.rollback()
        current_app.logger.warning("could not update last_seen_at of session %s", session_id)


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
