"""A broker's own sign-up: the address is confirmed before any account exists.

Asking to sign up answers the same whether or not the address has an account, so that the
answer tells nobody who is registered. Either way one email goes to the address through the
outbox: a link to confirm the sign-up, or, to an address that has an account, a word to its
owner. The account is made when the link is followed and the sign-up's own password given
again: someone signing up in another's name makes nothing, and the link alone (which waits in
the outbox, and passes through mail servers) confirms nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from ..db.columns import utcnow
from ..errors import Conflict, NotFound, invalid
from ..notifications.service import queue_mail
from ..permissions import Role
from .locale import in_language_of
from .models import Account, PendingSignUp
from .passwords import hash_password, password_problem, verify_password
from .service import add_account, find_by_email, normalise_email

LINK_LIFETIME = timedelta(hours=24)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def ask(session: Session, *, email: str, password: str, display_name: str, locale: str,
        confirm_link: Callable[[str], str], login_link: str) -> None:
    """Record a sign-up and mail its link; or mail the owner of the address's account."""
    problem = password_problem(password)
    if problem:
        raise invalid("password", problem)
    password_hash = hash_password(password)  # the same work whether the address is known
    owner = find_by_email(session, email)
    if owner is not None:
        _tell_owner(session, owner, login_link)
        return
    address, now = normalise_email(email), utcnow()
    session.execute(sa.delete(PendingSignUp).where(PendingSignUp.email == address,
                                                   PendingSignUp.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(PendingSignUp(email=address, display_name=display_name,
                              password_hash=password_hash, locale=locale,
                              token_hash=_hash(token), created_at=now,
                              expires_at=now + LINK_LIFETIME))
    with force_locale(locale):
        subject = gettext("Confirm your email address to finish signing up")
        body = gettext(
            "Someone, we hope you, asked to sign up to the arms brokering registry with this "
            "address, as %(name)s.\n\nTo finish, open this link within 24 hours and give the "
            "password you chose:\n%(link)s\n\nIf it was not you, ignore this message: no "
            "account is made without the password.", name=display_name,
            link=confirm_link(token))
    queue_mail(session, to=address, subject=subject, body=body)


def _tell_owner(session: Session, owner: Account, login_link: str) -> None:
    with in_language_of(session, owner.id):
        subject = gettext("Someone asked to sign up with your email address")
        body = gettext(
            "Someone asked to sign up to the arms brokering registry with this address, which "
            "already has an account. No second account was made.\n\nIf it was you, sign in "
            "here:\n%(link)s\n\nIf you forgot your password, contact the registry. If it "
            "was not you, you need do nothing.", link=login_link)
    queue_mail(session, to=owner.email, subject=subject, body=body)


def pending(session: Session, token: str) -> PendingSignUp:
    """The sign-up a link confirms, while it may still be confirmed."""
    found = None if len(token) > 100 else session.exec(
        select(PendingSignUp).where(PendingSignUp.token_hash == _hash(token))).first()
    if found is None or found.expires_at <= utcnow():
        raise NotFound(_l("This link has expired or was already used. Sign up again to get a "
                          "new one."))
    return found


def confirm(session: Session, *, token: str, password: str) -> Account:
    """Make the account of a pending sign-up, given its password again."""
    asked = pending(session, token)
    if not verify_password(asked.password_hash, password):
        raise invalid("password", _l("is not the password chosen when signing up"))
    address = asked.email
    session.execute(sa.delete(PendingSignUp).where(PendingSignUp.email == address))
    if find_by_email(session, address) is not None:
        raise Conflict(_l("The address already has an account: sign in."))
    return add_account(session, email=address, password_hash=asked.password_hash,
                       display_name=asked.display_name, role=Role.BROKER,
                       locale=asked.locale)
