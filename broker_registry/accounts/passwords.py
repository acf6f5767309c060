"""Password hashing with Argon2id, and a check that takes as long for unknown accounts."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MIN_DISTINCT = 4
MAX_LENGTH = 256  # Bounded: hashing a megabyte of "password" is a cheap denial of service.

_hasher = PasswordHasher()
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_active = _hasher
_dummy_hash: str | None = None


def use_fast_hashing(enabled: bool) -> None:
    """Tests hash hundreds of passwords; production keeps the library's defaults."""
    global _active, _dummy_hash
    _active = _fast_hasher if enabled else _hasher
    _dummy_hash = None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return str(_l("must be at least %(n)s characters", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("must be at most %(n)s characters", n=MAX_LENGTH))
    if len({char for char in password if not char.isspace()}) < MIN_DISTINCT:
        # Twelve spaces, or one key held down: long enough, and the first thing guessed.
        return str(_l("must use at least %(n)s different characters besides spaces",
                      n=MIN_DISTINCT))
    return None


def hash_password(password: str) -> str:
    return _active.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Verify, spending the same work when there is no account to compare against."""
    global _dummy_hash
    if password_hash is None:
        if _dummy_hash is None:
            _dummy_hash = _active.hash("not-a-real-password-for-timing")
        password_hash = _dummy_hash
        password = password + "\x00unknown"
    try:
        return _active.verify(password_hash, password[:MAX_LENGTH])
    except (VerificationError, InvalidHashError):
        return False
