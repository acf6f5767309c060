"""Accounts, passwords and API tokens. No Flask here: callers pass the session and the actor."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from ..audit.models import AuditAction
from ..audit.reasons import Recorded
from ..audit.service import record
from ..db import lock_rows
from ..db.columns import utcnow
from ..db.driver_sql import DriverQuery
from ..errors import Conflict, NotFound, invalid
from ..permissions import Principal, Role
from . import sign_ins
from .models import Account, ApiToken
from .passwords import hash_password, password_problem, verify_password

TOKEN_LIFETIME = timedelta(days=30)


def normalise_email(email: str) -> str:
    """One spelling per address: "ＡＤＭＩＮ@example.org" in full-width letters is the same
    account as "admin@example.org", never a look-alike second one."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def find_by_email(session: Session, email: str) -> Account | None:
    # Also as accounts made before NFKC were kept (stripped and lower-cased only), so that
    # such an account still signs in with the address it was made with.
    spellings = {normalise_email(email), email.strip().lower()}
    return session.exec(select(Account).where(Account.email.in_(spellings))
                        .order_by(Account.id)).first()


def get(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(_l("No account %(id)s.", id=account_id))
    return account


def create_account(session: Session, *, email: str, password: str, display_name: str,
                   role: Role, actor=None) -> Account:
    """An account made by an admin, the command line or the demonstration data: usable at
    once (a broker's own sign-up makes one only once its address is confirmed, sign_ups.py)."""
    problem = password_problem(password)
    if problem:
        raise invalid("password", problem)
    return add_account(session, email=email, password_hash=hash_password(password),
                       display_name=display_name, role=role, actor=actor)


def add_account(session: Session, *, email: str, password_hash: str, display_name: str,
                role: Role, actor=None, locale: str | None = None) -> Account:
    if find_by_email(session, email) is not None:
        raise Conflict(_l("An account with this email cannot be created."))
    account = Account(email=normalise_email(email), display_name=display_name, role=str(role),
                      password_hash=password_hash, locale=locale)
    session.add(account)
    session.flush()
    record(session, actor=actor or account, action=AuditAction.ACCOUNT_CREATED,
           subject_type="account", subject_id=account.id,
           after={"email": account.email, "role": account.role})
    return account


def authenticate(session: Session, email: str, password: str) -> Account | None:
    account = find_by_email(session, email)
    usable = account is not None and account.active
    ok = verify_password(account.password_hash if usable else None, password)
    return account if usable and ok else None


def change_password(session: Session, account: Account, current: str, new: str) -> None:
    if not verify_password(account.password_hash, current):
        raise invalid("current_password", _l("is not your current password"))
    problem = password_problem(new)
    if problem:
        raise invalid("new_password", problem)
    account.password_hash = hash_password(new)
    account.password_changed_at = utcnow()
    _end_sessions_and_tokens(session, account)
    session.add(account)
    record(session, actor=account, action=AuditAction.ACCOUNT_PASSWORD_CHANGED,
           subject_type="account", subject_id=account.id,
           reason=Recorded("password_changed"))


def _end_sessions_and_tokens(session: Session, account: Account) -> dict[str, int]:
    ended = sign_ins.end_all(session, account.id)
    tokens = _live_tokens(session, account.id)
    for token in tokens:
        token.revoked_at = utcnow()
        session.add(token)
    return {"sign_ins_ended": ended, "tokens_revoked": len(tokens)}


@dataclass(frozen=True)
class Standing:
    active_before: bool
    active_after: bool
    audit: AuditAction


# Every change of an account's standing, written once. Deactivating ends every sign-in and
# revokes every token, so that reactivating brings none of them back.
STANDING = {
    "deactivate": Standing(True, False, AuditAction.ACCOUNT_DEACTIVATED),
    "reactivate": Standing(False, True, AuditAction.ACCOUNT_REACTIVATED),
}


def change_standing(session: Session, *, actor, account_id: int, action: str,
                    reason: str) -> Account:
    """Deactivate or reactivate an account (an admin, or the command line when actor is
    None), with the reason in the audit log."""
    rule = STANDING[action]
    account = session.exec(lock_rows(select(Account).where(Account.id == account_id))).first()
    if account is None:
        raise NotFound(_l("No account %(id)s.", id=account_id))
    if actor is not None and account.id == actor.id:
        raise Conflict(_l("You cannot deactivate your own account: another admin can."))
    if account.active != rule.active_before:
        raise Conflict(_l("The account is already active.") if account.active
                       else _l("The account is already deactivated."))
    account.active = rule.active_after
    ended = {} if account.active else _end_sessions_and_tokens(session, account)
    session.add(account)
    record(session, actor=actor, action=rule.audit, subject_type="account",
           subject_id=account.id, reason=reason, before={"active": rule.active_before},
           after={"active": rule.active_after, **ended})
    return account


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, account: Account,
                name: str | None = None) -> tuple[str, ApiToken]:
    plaintext = "brt_" + secrets.token_urlsafe(32)
    token = ApiToken(account_id=account.id, token_hash=_hash_token(plaintext),
                     name=name or "", expires_at=utcnow() + TOKEN_LIFETIME)
    session.add(token)
    session.flush()
    record(session, actor=account, action=AuditAction.TOKEN_CREATED, subject_type="token",
           subject_id=token.id, after={"name": token.name})
    return plaintext, token


def resolve_token(connection, plaintext: str) -> Principal | None:
    """Who a live bearer token speaks for, in one indexed Core query (every API request
    runs it, so it skips the ORM and, through Database.reader, any transaction)."""
    params = token_params(plaintext)
    row = None if params is None else _PRINCIPAL_BY_TOKEN.first(connection, params)
    return None if row is None else Principal(*row)


def account_for_token(session: Session, plaintext: str) -> Account | None:
    """The account of a live bearer token, read again in the request's own transaction: a
    write must not go ahead on a token revoked while it queued for the write lock."""
    params = token_params(plaintext)
    return None if params is None else session.exec(_ACCOUNT_BY_TOKEN, params=params).first()


def token_params(plaintext: str) -> dict | None:
    """The bind parameters of a token's check; None for a text no token could be."""
    if len(plaintext) > 200:
        return None
    return {"token_hash": _hash_token(plaintext), "now": utcnow()}


# A live token's conditions, on ApiToken joined to its Account, bound by token_params(...).
LIVE_TOKEN = (ApiToken.token_hash == sa.bindparam("token_hash"), ApiToken.revoked_at.is_(None),
               ApiToken.expires_at > sa.bindparam("now"), Account.active.is_(True))
_ACCOUNT_BY_TOKEN = (select(Account).join(ApiToken, ApiToken.account_id == Account.id)
                     .where(*LIVE_TOKEN))
_PRINCIPAL_BY_TOKEN = DriverQuery(sa.select(Account.id, Account.role)
                                  .join(ApiToken, ApiToken.account_id == Account.id)
                                  .where(*LIVE_TOKEN))


def _live_tokens(session: Session, account_id: int) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(
        ApiToken.account_id == account_id, ApiToken.revoked_at.is_(None))))


def list_tokens(session: Session, account: Account, *, limit: int | None = None,
                after: int | None = None) -> list[ApiToken]:
    return list(session.exec(
        select(ApiToken).where(ApiToken.account_id == account.id, ApiToken.id > (after or 0))
        .order_by(ApiToken.id).limit(limit)))


def revoke_token(session: Session, account: Account, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id:
        raise NotFound(_l("No token %(id)s of yours.", id=token_id))
    if token.revoked_at is not None:
        raise Conflict(_l("The token is already revoked."))
    token.revoked_at = utcnow()
    session.add(token)
    record(session, actor=account, action=AuditAction.TOKEN_REVOKED, subject_type="token",
           subject_id=token.id)
    return token


def list_accounts(session: Session, *, limit: int | None = None,
                  after: int | None = None) -> list[Account]:
    return list(session.exec(select(Account).where(Account.id > (after or 0))
                             .order_by(Account.id).limit(limit)))
