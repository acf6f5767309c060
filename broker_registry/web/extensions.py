"""Flask extensions that are shared across blueprints, created unbound and bound in create_app."""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from ..accounts.service import normalise_email

log = logging.getLogger(__name__)

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
# Per address on what verifiers and browsers fetch without an account (the trust list, the
# revocation list, the certificate schema): a border post's devices behind one address sync
# every few minutes; a loop asking for full lists is slowed.
PUBLIC_LISTS = "300/minute"


def account_key() -> str:
    """Rate-limit key for the signed-in account whose current password is being tried, from
    whichever browser, token or address; an anonymous caller is refused (401) anyway."""
    from .auth import current_principal

    principal = current_principal()
    return f"account:{principal.id}" if principal else f"address:{get_remote_address()}"


# Like sign-in's 10 a minute per account: whoever holds a session or a token cannot use the
# password form to guess the password. One count for the page and the API.
current_password_checks = limiter.shared_limit("10/minute", scope="current-password",
                                               key_func=account_key, methods=["POST"])


def init_limiter(app: Flask) -> None:
    limiter.init_app(app)
    settings = app.config["SETTINGS"]
    if settings.ratelimit_enabled and settings.ratelimit_storage_uri.startswith("memory://"):
        # Production refuses this (settings.py). In development it is said once, as the
        # first request is served: a command of the command line serves none, and says
        # nothing of it.
        said = []

        @app.before_request
        def say_where_limits_are_counted():
            if not said:
                said.append(True)
                log.warning("rate limits are counted in this process's memory "
                            "(RATELIMIT_STORAGE_URI=memory://): each worker counts apart; set "
                            "RATELIMIT_STORAGE_URI=redis://... to count across workers")


def email_key() -> str:
    """Rate-limit key for the account being attacked, whatever address the attack comes from."""
    email = ""
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # nested deeper than the parser goes: the view answers 400
            body = None
        if isinstance(body, dict) and isinstance(body.get("email"), str):
            email = body["email"]
    else:
        email = request.form.get("email", "")
    # The account's own spelling: "ａｄｍｉｎ@" in full-width letters is the same account.
    return "email:" + normalise_email(email[:1000])[:254]
