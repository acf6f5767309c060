"""Who is asking (a bearer token on /api/, a session cookie on the pages), and the decorators
that let a view run: `requires(permission)` or `public`.

Permission checks need only the principal (account id and role). On the API it comes from
one Core query on the token; the account itself is loaded only by the views that use it,
with the token checked again inside the request's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g, request, session
from flask_babel import lazy_gettext as _l

from .. import db
from ..accounts import service as accounts
from ..accounts import sign_ins
from ..accounts.models import Account
from ..db.driver_sql import DriverQuery
from ..errors import Forbidden, Unauthenticated
from ..i18n.labels import ROLES, label
from ..permissions import Permission, Principal, has_permission
from .problems import API_PREFIX


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
        g.account = _bearer_account() if _is_api() else _session_account()
    return g.account


def _bearer_account() -> Account | None:
    principal = current_principal()
    if principal is None:
        return None
    # Read again in the session's transaction (on SQLite, after BEGIN IMMEDIATE): a token
    # revoked, or an account closed or given another role, while this request queued for
    # the write lock must not act.
    account = accounts.account_for_token(db.session(), _bearer_token())
    if account is None or account.id != principal.id or account.role != principal.role:
        raise Unauthenticated(_l("The token was revoked or its account changed; sign in "
                                 "again."))
    return account


def check_token_with(query: DriverQuery, params: dict) -> list[tuple] | None:
    """Check the bearer token and run `query` (from accounts.principal_query) in one round
    trip, for a hot API view that reads one thing right after the check.

    The principal found is the request's, as current_principal() would have found it; the
    rows come back without its two columns. None, and nothing read, when there is no bearer
    token to check or the principal is already known.
    """
    token = _bearer_token() if _is_api() and "principal" not in g else None
    if token is None:
        return None
    token_params = accounts.token_params(token)
    rows = [] if token_params is None else query.rows(db.reader(), {**params, **token_params})
    g.principal = Principal(*rows[0][:2]) if rows else None
    return [row[2:] for row in rows]


def bearer_token_sent() -> bool:
    return _is_api() and _bearer_token() is not None


def _is_api() -> bool:
    return request.path.startswith(API_PREFIX)


def _bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _bearer_principal() -> Principal | None:
    token = _bearer_token()
    return None if token is None else accounts.resolve_token(db.reader(), token)


SIGN_IN = "sign_in"  # the session cookie's one key that signs a browser in


def _session_account() -> Account | None:
    sign_in_id = session.get(SIGN_IN)
    if not isinstance(sign_in_id, str):
        return None
    account = sign_ins.account_for(db.session(), sign_in_id)
    if account is None:  # ended, expired, or its account deactivated: a copied cookie too
        session.clear()
    return account


def log_in(account) -> None:
    """Sign this browser in, as a new sign-in committed now. A session fixed by an attacker
    before login is worth nothing: the cookie starts afresh, and a sign-in it held ends."""
    database = db.session()
    if isinstance(session.get(SIGN_IN), str):
        sign_ins.end(database, session[SIGN_IN])
    session.clear()
    session[SIGN_IN] = sign_ins.start(database, account)
    session.permanent = True
    database.commit()
    g.account = account
    g.principal = Principal(account.id, account.role)


def log_out() -> None:
    """End this browser's sign-in on the server, so that a copy of its cookie ends with it."""
    if isinstance(session.get(SIGN_IN), str):
        database = db.session()
        sign_ins.end(database, session[SIGN_IN])
        database.commit()
    session.clear()
    g.account = None
    g.principal = None


def requires(permission: Permission, *, ahead: Callable[[], None] | None = None):
    """Let the view run only for a signed-in account whose role carries `permission`.

    `ahead` runs first: a hot view's way to find the principal together with what it reads
    (auth.check_token_with). It must leave every refusal to the check and the view.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if ahead is not None:
                ahead()
            account = current_principal()
            if account is None:
                raise Unauthenticated(_l("Sign in, or send a valid bearer token."))
            if not has_permission(account.role, permission):
                raise Forbidden(_l("The %(role)s role may not do this (%(permission)s).",
                                    role=label(ROLES, account.role), permission=permission))
            return view(*args, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator


def public(view):
    """Mark a view as open to anyone, so that the absence of a check is a decision."""
    view.required_permission = None
    return view
