"""Writing to an account in the language it chose, whoever's request does the writing."""

from __future__ import annotations

from contextlib import contextmanager

from flask_babel import force_locale
from sqlmodel import Session

from .models import Account


@contextmanager
def in_language_of(session: Session, account_id: int):
    """Write a notification in the language its reader chose, whoever's request sends it."""
    account = session.get(Account, account_id)
    with force_locale((account.locale if account is not None else None) or "en"):
        yield
