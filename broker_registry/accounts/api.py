from __future__ import annotations

from flask import Blueprint, jsonify
from flask_babel import lazy_gettext as _l

from .. import db
from ..errors import Unauthenticated
from ..i18n.formats import language
from ..permissions import Permission
from ..web import links
from ..web.auth import current_account, public, requires
from ..web.extensions import current_password_checks, email_key, limiter
from ..web.json_api import json_body, page, page_args
from ..web.serialise import public as as_public
from . import service, sign_ups
from .schemas import (
    AccountAdmin,
    AccountPublic,
    PasswordChange,
    SignUp,
    StandingChange,
    TokenPublic,
    TokenRequest,
)

bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")


@bp.post("/accounts")
@limiter.limit("10/hour")
@limiter.limit("5/hour", key_func=email_key)
@public
def sign_up():
    """202 and the same body whether or not the address has an account (sign_ups.py)."""
    body = json_body(SignUp)
    session = db.session()
    sign_ups.ask(session, email=body.email, password=body.password,
                 display_name=body.display_name, locale=language(), **links.sign_up())
    session.commit()
    return jsonify({"email": service.normalise_email(body.email),
                    "detail": str(_l("We sent a message to this address. Open the link in it "
                                     "within 24 hours to finish signing up."))}), 202


@bp.post("/auth/token")
@limiter.limit("30/minute")
@limiter.limit("10/minute", key_func=email_key)
@public
def token():
    body = json_body(TokenRequest)
    session = db.session()
    account = service.authenticate(session, body.email, body.password)
    if account is None:
        raise Unauthenticated(_l("The email or the password is wrong."))
    plaintext, issued = service.issue_token(session, account, body.name)
    session.commit()
    return jsonify({"token": plaintext, "expires_at": as_public(TokenPublic, issued)["expires_at"],
                    "role": account.role, "id": issued.id})


@bp.get("/me")
@requires(Permission.SELF_READ)
def me():
    return jsonify(as_public(AccountPublic, current_account()))


@bp.post("/me/password")
@current_password_checks
@requires(Permission.SELF_READ)
def change_password():
    body = json_body(PasswordChange)
    session = db.session()
    service.change_password(session, current_account(), body.current_password,
                            body.new_password)
    session.commit()
    return jsonify(as_public(AccountPublic, current_account()))


@bp.get("/auth/tokens")
@requires(Permission.TOKENS_MANAGE)
def list_tokens():
    limit, after = page_args()
    tokens = service.list_tokens(db.session(), current_account(), limit=limit + 1, after=after)
    return page(tokens, limit, lambda token: as_public(TokenPublic, token))


@bp.post("/auth/tokens/<int:token_id>/revoke")
@requires(Permission.TOKENS_MANAGE)
def revoke_token(token_id: int):
    session = db.session()
    revoked = service.revoke_token(session, current_account(), token_id)
    session.commit()
    return jsonify(as_public(TokenPublic, revoked))


@bp.get("/accounts")
@requires(Permission.USERS_MANAGE)
def list_accounts():
    limit, after = page_args()
    rows = service.list_accounts(db.session(), limit=limit + 1, after=after)
    return page(rows, limit, lambda account: as_public(AccountAdmin, account))


@bp.post("/accounts/<int:account_id>/<any(deactivate, reactivate):action>")
@requires(Permission.USERS_MANAGE)
def change_standing(account_id: int, action: str):
    body = json_body(StandingChange)
    session = db.session()
    account = service.change_standing(session, actor=current_account(), account_id=account_id,
                                      action=action, reason=body.reason)
    session.commit()
    return jsonify(as_public(AccountAdmin, account))
