"""A page's form is acted on once, however often it is sent.

Each form that changes something carries a `form_nonce` drawn when the page was drawn. A send
claims its nonce before doing the work and records where the result lives, all in the
transaction of the change; a second send of the same form (a double click, the back button
then "submit" again) finds it and is shown that result instead of doing the work again: one
shipment, one certificate, one application. A send racing the first waits on the claim's
unique index until the first commits, then meets the constraint and is shown the first's
result too (had it gone on, it could have found nothing left and said so instead).
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import request
from sqlmodel import Field, Session, SQLModel, select

from ..db.columns import timestamp

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


def claim(session: Session, account, nonce: str | None) -> FormSubmission | None:
    """Before the work, in its transaction: this nonce is being acted on. A racing send of
    the same form blocks here, then fails with IntegrityError once the first commits."""
    if nonce is None:
        return None
    claimed = FormSubmission(account_id=account.id, nonce=nonce, location="")
    session.add(claimed)
    session.flush()
    return claimed


def record_result(session: Session, claimed: FormSubmission | None, location: str) -> None:
    """After the work, in its transaction: where the claimed send's result lives."""
    if claimed is not None:
        claimed.location = location
        session.add(claimed)
        session.flush()
