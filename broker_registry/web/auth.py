"""Who is asking (a bearer token on /api/, a session cookie on the pages), and the decorators
that let a view run: `requires(permission)` or `public`; or `checks_in_view(permission)` for
a view that finds its principal together with what it reads, and calls `authorize` itself.

Permission checks need only the principal (account id and role). On the API it comes from
one Core query on the token; the account itself is loaded only by the views that use it,
with the token checked again inside the request's transaction.
"""

from __future__ import annotations

from functools import wraps

from flask import g, request, session
from flask_babel import lazy_gettext as _l

from .. import db
from ..accounts import service as accounts
from ..accounts import sign_ins
from ..accounts.models import Account
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


def unresolved_bearer_token() -> str | None:
    """The bearer token of an API request whose principal nobody has looked up yet: for a
    view that checks the token itself, together with what it reads (see checks_in_view)."""
    return _bearer_token() if _is_api() and "principal" not in g else None


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


def requires(permission: Permission):
    """Let the view run only for a signed-in account whose role carries `permission`."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            authorize(current_principal(), permission)
            return view(*args, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator


def authorize(principal: Principal | None, permission: Permission) -> None:
    """The permission check: 401 without a principal, 403 for a role without `permission`.
    The principal becomes the request's."""
    g.principal = principal
    if principal is None:
        raise Unauthenticated(_l("Sign in, or send a valid bearer token."))
    if not has_permission(principal.role, permission):
        raise Forbidden(_l("The %(role)s role may not do this (%(permission)s).",
                            role=label(ROLES, principal.role), permission=permission))


def checks_in_view(permission: Permission):
    """Mark a view that finds its principal itself, together with what it reads (one round
    trip for the busiest request), and calls authorize(principal, permission) before it
    reads the request any further. A view so marked that answers without calling it is a
    fault, never an open door."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            response = view(*args, **kwargs)
            if "principal" not in g or not has_permission(getattr(g.principal, "role", None),
                                                          permission):
                raise RuntimeError(f"{view.__name__} answered without authorize()")
            return response

        wrapper.required_permission = permission
        return wrapper

    return decorator


def public(view):
    """Mark a view as open to anyone, so that the absence of a check is a decision."""
    view.required_permission = None
    return view
