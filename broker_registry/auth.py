"""Who is asking: a bearer token on /api/, a session cookie on the pages.

Permission checks need only the principal (account id and role). On the API it comes from
one Core query on the token; the account itself is loaded only by the views that use it.
"""

from __future__ import annotations

from flask import g, request, session

from . import db
from .accounts import service as accounts
from .accounts.models import Account
from .permissions import Principal


def current_principal() -> Principal | None:
    if "principal" not in g:
        if _is_api():
            g.principal = _bearer_principal()
        else:
            account = current_account()
            g.principal = None if account is None else Principal(account.id, account.role)
    return g.principal


def current_account() -> Account | None:
    if "account" not in g:
        if _is_api():
            principal = current_principal()
            g.account = None if principal is None else db.session().get(Account, principal.id)
        else:
            g.account = _session_account()
    return g.account


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _bearer_principal() -> Principal | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return accounts.resolve_token(db.reader(), token.strip())


def _session_account() -> Account | None:
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
    g.principal = Principal(account.id, account.role)


def log_out() -> None:
    session.clear()
    g.account = None
    g.principal = None
