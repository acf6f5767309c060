"""Who is asking: a bearer token on /api/, a session cookie on the pages."""

from __future__ import annotations

from flask import g, request, session

from . import db
from .accounts import service as accounts


def current_account():
    if "account" not in g:
        g.account = _resolve()
    return g.account


def _resolve():
    if request.path.startswith("/api/"):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return accounts.resolve_token(db.session(), token.strip())
    account_id = session.get("account_id")
    if not isinstance(account_id, int):
        return None
    account = accounts.get_active(db.session(), account_id)
    if account is None or session.get("epoch") != account.session_epoch:
        session.clear()
        return None
    return account


def log_in(account) -> None:
    # A fresh session at login: a session fixed by an attacker before login is worth nothing.
    session.clear()
    session["account_id"] = account.id
    session["epoch"] = account.session_epoch
    session.permanent = True
    g.account = account


def log_out() -> None:
    session.clear()
    g.account = None
