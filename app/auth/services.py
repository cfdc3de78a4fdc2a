"""Account verbs: register, authenticate, password reset. They flush; the view commits."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.auth import devices
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.errors import InvalidInput
from app.extensions import db
from app.models import AccountNotice, UsedFormStamp, User, UserSession
from app.models.base import utcnow
from app.models.user import ROLES, SECTORS, normalize_email

RESET_SALT = "cocrea-password-reset"
CONFIRM_SALT = "cocrea-email-confirmation"
SIGNUP_FORM_SALT = "cocrea-signup-form"
SIGNUP_FORM_MAX_AGE = 24 * 3600  # a sign-up form older than a day is shown again
# "Someone tried to sign up with your address": at most this many per recipient and window,
# whatever the number of attempts (like the per-account limit of password resets).
EXISTING_ACCOUNT_NOTICES = 3
EXISTING_ACCOUNT_NOTICE_WINDOW = timedelta(hours=24)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def register_user(*, email: str, display_name: str, password: str, sector: str,
                  organization: str | None = None, role: str = "participant") -> User:
    """Create a participant account; refuses an email already registered (any case)."""
    email = normalize_email(email)
    if sector not in SECTORS:
        raise InvalidInput(_("Seleccione un sector de la lista."), field="sector")
    if role not in ROLES:
        raise InvalidInput(_("Rol desconocido."), field="role")
    if find_user_by_email(email) is not None:
        raise InvalidInput(_("Ya existe una cuenta con este correo electrónico."), field="email")
    user = User(
        email=email, display_name=display_name.strip(), password_hash=hash_password(password),
        sector=sector, organization=(organization or "").strip() or None, role=role,
    )
    if not current_app.config["REQUIRE_EMAIL_CONFIRMATION"]:
        user.email_confirmed_at = utcnow()
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user when the password matches; the same work is done for unknown emails."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    """A new password after a reset: every session and remember-me cookie of the account ends
    (whoever was signed in with the old password is out)."""
    user.password_hash = hash_password(password)
    devices.revoke_all_sessions(user)


def change_password(user: User, current_password: str, new_password: str, *,
                    keep: UserSession | None) -> int:
    """Change the password knowing the current one; ends every session but `keep`.

    Returns how many other sessions ended. Raises InvalidInput (field "current_password")
    when the current password is wrong; nothing changes then.
    """
    if not verify_password(user.password_hash, current_password or ""):
        raise InvalidInput(_("La contraseña actual no es correcta."), field="current_password")
    user.password_hash = hash_password(new_password)
    return devices.revoke_other_sessions(user, keep=keep)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _hash_fingerprint(user: User) -> str:
    # Ties the token to the current password: once used (password changed), it is void.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"id": user.id, "fp": _hash_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The account the token was made for, or None when expired, tampered with or used."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if user is None or not user.is_active or data.get("fp") != _hash_fingerprint(user):
        return None
    return user


def make_confirmation_token(user: User) -> str:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT).dumps(
        {"id": user.id, "email": user.email})


def confirm_email(token: str) -> User | None:
    """Mark the address confirmed; None when the link is expired, tampered with or stale."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)
    try:
        data = serializer.loads(token, max_age=current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if user is None or not user.is_active or data.get("email") != user.email:
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def _stamp_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SIGNUP_FORM_SALT)


def signup_form_stamp() -> str:
    """A signed "this form was shown now", with a random nonce: it can be sent back once."""
    return _stamp_serializer().dumps(secrets.token_hex(16))


def _read_stamp(stamp: str | None):
    try:
        return _stamp_serializer().loads(stamp or "", max_age=SIGNUP_FORM_MAX_AGE,
                                         return_timestamp=True)
    except (SignatureExpired, BadSignature):
        return None


def signup_form_age(stamp: str | None) -> float | None:
    """Seconds since the form was shown, or None when the stamp is missing or forged."""
    read = _read_stamp(stamp)
    if read is None:
        return None
    return (utcnow() - read[1]).total_seconds()


def spend_signup_stamp(stamp: str | None) -> bool:
    """Void the stamp of a sign-up form that was sent back; False when it is missing, forged,
    expired or was already used (each stamp counts once, even at the same moment)."""
    read = _read_stamp(stamp)
    if read is None or not isinstance(read[0], str) or not 16 <= len(read[0]) <= 64:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(UsedFormStamp(nonce=read[0]))
    except IntegrityError:
        return False
    # Stamps older than a day are refused anyway: their records can go.
    db.session.execute(delete(UsedFormStamp).where(
        UsedFormStamp.used_at < utcnow() - timedelta(seconds=SIGNUP_FORM_MAX_AGE)))
    return True


def may_send_account_notice(user: User, kind: str) -> bool:
    """Record one more `kind` notice for `user` and say whether it may be sent: at most
    EXISTING_ACCOUNT_NOTICES per EXISTING_ACCOUNT_NOTICE_WINDOW per recipient."""
    since = utcnow() - EXISTING_ACCOUNT_NOTICE_WINDOW
    sent = db.session.scalar(select(func.count(AccountNotice.id)).where(
        AccountNotice.user_id == user.id, AccountNotice.kind == kind,
        AccountNotice.sent_at >= since))
    if sent >= EXISTING_ACCOUNT_NOTICES:
        return False
    db.session.add(AccountNotice(user_id=user.id, kind=kind))
    db.session.flush()
    return True


def spend_password_hash_time(password: str) -> None:
    """Do the work of hashing, so a known email answers as slowly as a new one."""
    hash_password(password)


def set_role(user: User, role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(_("Rol desconocido."), field="role")
    user.role = role
    devices.revoke_all_sessions(user)  # privileges changed: start a new session
