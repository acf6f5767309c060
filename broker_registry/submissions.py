"""A page's form is acted on once, however often it is sent.

Each form that changes something carries a `form_nonce` drawn when the page was drawn. The
first send that succeeds records the nonce with where its result lives, in the same
transaction as the change; a second send of the same form (a double click, the back button
then "submit" again) finds it and is shown that result instead of doing the work again: one
shipment, one certificate, one application. Two sends racing each other meet the unique
constraint, and the loser's whole transaction is rolled back.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import request
from sqlmodel import Field, Session, SQLModel, select

from .models_base import timestamp

NONCE_FIELD = "form_nonce"


class FormSubmission(SQLModel, table=True):
    __tablename__ = "form_submissions"
    __table_args__ = (sa.UniqueConstraint("account_id", "nonce",
                                          name="uq_form_submissions_nonce"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id")
    nonce: str = Field(max_length=64)
    location: str = Field(max_length=500)
    created_at: datetime = timestamp(default_now=True)


def form_nonce() -> str:
    """A fresh nonce for a form about to be drawn (a template global)."""
    return secrets.token_urlsafe(16)


def sent_nonce() -> str | None:
    nonce = request.form.get(NONCE_FIELD, "").strip()
    return nonce if 0 < len(nonce) <= 64 else None


def earlier_result(session: Session, account, nonce: str | None) -> str | None:
    """Where the result of this form's earlier, successful send lives, if it was sent."""
    if nonce is None:
        return None
    return session.exec(select(FormSubmission.location).where(
        FormSubmission.account_id == account.id, FormSubmission.nonce == nonce)).first()


def record_result(session: Session, account, nonce: str | None, location: str) -> None:
    """In the transaction of the change the form made: this nonce's result is `location`."""
    if nonce is not None:
        session.add(FormSubmission(account_id=account.id, nonce=nonce, location=location))
        session.flush()
