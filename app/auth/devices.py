"""Per-device sessions: each sign-in gets its own row in `user_sessions`.

The login cookie (and the remember-me cookie) carries "<user id>:<token>"; the database keeps
only the token's SHA-256. Signing in on a phone therefore leaves the laptop signed in, and
ending one row (sign-out, "revoke") voids exactly that device's cookies. A password change
ends every other row, a reset, a block or a deletion ends them all.

Verbs never read `request` and never commit (the view passes the user agent and address).
`touch` is the exception that proves the rule: see its docstring.
"""
from __future__ import annotations

import hashlib
import ipaddress
import secrets
from datetime import timedelta
from typing import cast

from flask import current_app
from sqlalchemy import Delete, delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import User, UserSession
from app.models.base import utcnow

TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is at most this stale; one write a minute
DEVICE_MAX = 120


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_label(user_agent: str | None) -> str:
    """"Firefox · Android" from a User-Agent header; "" when nothing is recognised."""
    from ua_parser import parse

    result = parse((user_agent or "")[:512])
    parts = []
    if result.user_agent and result.user_agent.family not in ("Other", ""):
        parts.append(result.user_agent.family)
    if result.os and result.os.family not in ("Other", ""):
        parts.append(result.os.family)
    if result.device and result.device.family not in ("Other", "", "Spider"):
        device = result.device.family
        if device not in parts and not device.startswith("Generic"):
            parts.append(device)
    return " · ".join(parts)[:DEVICE_MAX]


def truncate_ip(address: str | None) -> str | None:
    """The network, not the person: IPv4 to its /24, IPv6 to its /48; None when unparsable."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _lifetimes() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return config["PERMANENT_SESSION_LIFETIME"], config["REMEMBER_COOKIE_DURATION"]


def start_session(user: User, *, user_agent: str | None, ip: str | None,
                  remember: bool = False) -> UserSession:
    """A new device session for `user`; sets `user.session_token` for Flask-Login's cookie.

    Expired sessions of the same account are cleared on the way (nothing else deletes them).
    """
    drop_expired_sessions(user)
    token = secrets.token_urlsafe(32)
    record = UserSession(user_id=user.id, token_hash=hash_token(token),
                         device=device_label(user_agent), ip_network=truncate_ip(ip),
                         remember=bool(remember))
    db.session.add(record)
    db.session.flush()
    user.session_token = token
    return record


def find_session(user_id: int, token: str) -> UserSession | None:
    """The live session for this cookie (its user loaded with it), or None. One query."""
    record = db.session.scalar(
        select(UserSession).options(joinedload(UserSession.user))
        .where(UserSession.token_hash == hash_token(token), UserSession.user_id == user_id))
    if record is None or record.is_expired(*_lifetimes()):
        return None
    return record


def touch_due(record: UserSession) -> bool:
    """True when `last_seen_at` is older than TOUCH_EVERY (one write a minute per device)."""
    return record.last_seen_at + TOUCH_EVERY <= utcnow()


def touch(session_id: int) -> None:
    """Move the session's `last_seen_at` to now.

    The request hook (app/auth/session.py) calls it before the view runs and commits this
    one small UPDATE alone, so a page view costs no write except once a minute per device.
    """
    db.session.execute(
        update(UserSession).where(UserSession.id == session_id).values(last_seen_at=utcnow())
        .execution_options(synchronize_session=False))


def active_sessions(user: User) -> list[UserSession]:
    """The account's live sessions, most recently used first."""
    idle, remembered = _lifetimes()
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    return [row for row in rows if not row.is_expired(idle, remembered)]


def end_session(record: UserSession | None) -> None:
    """Sign-out: this device only."""
    if record is not None:
        db.session.execute(delete(UserSession).where(UserSession.id == record.id)
                           .execution_options(synchronize_session=False))


def revoke_session(user: User, session_id: int) -> bool:
    """End one of `user`'s own sessions; False when it is not theirs or already gone."""
    return _deleted(
        delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id)
    ) == 1


def revoke_other_sessions(user: User, keep: UserSession | None) -> int:
    """End every session of `user` but `keep` (password change, "sign out elsewhere")."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    return _deleted(statement)


def revoke_all_sessions(user: User) -> int:
    """End every session of `user` (password reset, block, role change, deletion)."""
    return revoke_other_sessions(user, keep=None)


def drop_expired_sessions(user: User) -> int:
    idle, remembered = _lifetimes()
    now = utcnow()
    expired = [row.id for row in db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id))
        if row.is_expired(idle, remembered, now)]
    if not expired:
        return 0
    return _deleted(delete(UserSession).where(UserSession.id.in_(expired)))


def _deleted(statement: Delete) -> int:
    """Run a bulk DELETE (the session's identity map is not synchronised); the rows gone."""
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult, result).rowcount
