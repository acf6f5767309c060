"""Flask extensions that are shared across blueprints, created unbound and bound in create_app."""

from __future__ import annotations

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from .accounts.service import normalise_email

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


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
