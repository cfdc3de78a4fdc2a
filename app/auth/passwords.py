"""Password hashing: scrypt with the configured cost, upgraded on login when it changes."""
from __future__ import annotations

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

# Verifying against this keeps sign-in for unknown emails as slow as for real ones.
_DUMMY_HASHES: dict[str, str] = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY_HASHES:
            _DUMMY_HASHES[method] = generate_password_hash("not-a-password", method=method)
        check_password_hash(_DUMMY_HASHES[method], password)
        return False
    try:
        return check_password_hash(stored_hash, password)
    except ValueError:  # an unknown or corrupt hash format never signs anyone in
        return False


def needs_rehash(stored_hash: str) -> bool:
    return not stored_hash.startswith(current_app.config["PASSWORD_HASH_METHOD"] + "$")
