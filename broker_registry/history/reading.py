"""Reading the audit log: its filters as a request gives them, the query, and an entry as
the API and the page show it (newest first, keyset pages by sequence number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from flask import request
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel
from sqlmodel import Session

from ..accounts.models import Account
from ..audit.models import AuditAction, AuditEntry
from ..db.columns import rfc3339
from ..errors import FieldError, ValidationFailed
from ..validation import Line, one_of, parse_rfc3339, parse_value, whole_number
from ..web.json_api import page_args
from ..web.serialise import public as as_public

# What the log's entries are about, as `record(subject_type=...)` is called across the app.
SUBJECT_TYPES = ("account", "token", "broker", "licence", "certificate", "signer", "embargo",
                 "denied_list")
FILTERS = ("subject_type", "subject_id", "actor", "person", "action", "since", "until")

# No entry stores one of these today (accounts log their email and role, tokens their name);
# the list keeps a future writer's slip out of every answer.
SECRET_KEYS = frozenset({"password", "password_hash", "token", "token_hash", "secret",
                         "private_key", "passphrase"})


class ActorPublic(BaseModel):
    id: int
    email: str
    display_name: str
    role: str


class AuditEntryPublic(BaseModel):
    seq: int
    at: datetime
    actor: ActorPublic | None  # null: the system or the command line
    actor_label: str  # as the entry recorded it: "role:email", or "system"
    action: str
    subject_type: str
    subject_id: str
    reason: str | None
    # a reason the registry wrote itself (reason is then its English): its code, parameters
    reason_code: str | None = None
    reason_params: dict[str, Any] | None = None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class AuditFilters:
    subject_type: str | None = None
    subject_id: str | None = None
    actor_id: int | None = None
    person: str | None = None  # part of the actor's name or email, any case
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[Any]:
        wanted = [(AuditEntry.subject_type, self.subject_type),
                  (AuditEntry.subject_id, self.subject_id),
                  (AuditEntry.actor_id, self.actor_id), (AuditEntry.action, self.action)]
        found = [column == value for column, value in wanted if value is not None]
        if self.person:
            like = f"%{self.person.lower()}%"
            found.append(sa.or_(sa.func.lower(Account.display_name).like(like),
                                sa.func.lower(Account.email).like(like)))
        if self.since is not None:
            found.append(AuditEntry.at >= self.since)
        if self.until is not None:
            found.append(AuditEntry.at <= self.until)
        return found


def read_query() -> tuple[AuditFilters, int, int | None]:
    """The filters, page size and cursor of this request; one 422 naming every bad value."""
    errors: list[FieldError] = []

    def attempt(read, *arguments):
        try:
            return read(*arguments)
        except ValidationFailed as error:
            errors.extend(error.errors)
            return None

    text = {name: request.args.get(name, "").strip() for name in FILTERS}
    filters = AuditFilters(
        subject_type=attempt(parse_value, Literal[SUBJECT_TYPES], text["subject_type"],
                             "subject_type"),
        subject_id=attempt(parse_value, Line(80), text["subject_id"], "subject_id"),
        actor_id=attempt(_account_id, text["actor"]),
        person=attempt(parse_value, Line(200), text["person"], "person"),
        action=attempt(parse_value, one_of(AuditAction), text["action"], "action"),
        since=attempt(_moment, text["since"], "since"),
        until=attempt(_moment, text["until"], "until"),
    )
    if filters.since and filters.until and filters.until < filters.since:
        errors.append(FieldError("until", _l("must not be before %(since)s",
                                             since=rfc3339(filters.since)), "before_since"))
    paging = attempt(page_args)
    if errors:
        raise ValidationFailed(errors)
    limit, before = paging
    return filters, limit, before


def _account_id(text: str) -> int | None:
    if not text:
        return None
    number = whole_number(text, digits=10)
    if number is None or not 1 <= number < 2**31:
        raise ValidationFailed([FieldError("actor", _l("must be an account id"))])
    return number


def _moment(text: str, field: str) -> datetime | None:
    """An RFC 3339 date-time; a bare date means its whole day (UTC), from its start for
    `since` and to its end for `until`."""
    if not text:
        return None
    try:
        moment = parse_rfc3339(text)
    except ValueError as error:
        raise ValidationFailed([FieldError(field, str(error), "date")]) from None
    if len(text) == 10:  # a bare date: parse_rfc3339 gave its last second
        return (moment.replace(hour=0, minute=0, second=0) if field == "since"
                else moment.replace(microsecond=999_999))
    return moment


def seq_of(row) -> int:
    """The key of an entries() row for its page's cursor."""
    return row[0].seq


def entries(session: Session, *, filters: AuditFilters, limit: int,
            before: int | None) -> list[Any]:
    """Up to limit + 1 rows of (entry, actor's email, display name, role), newest first,
    below sequence number `before`."""
    statement = (sa.select(AuditEntry, Account.email, Account.display_name, Account.role)
                 .outerjoin(Account, Account.id == AuditEntry.actor_id)
                 .where(*filters.conditions())
                 .order_by(AuditEntry.seq.desc()).limit(limit + 1))
    if before is not None:
        statement = statement.where(AuditEntry.seq < before)
    return list(session.execute(statement).all())


def _without_secrets(content: Any) -> Any:
    if isinstance(content, dict):
        return {key: _without_secrets(value) for key, value in content.items()
                if key not in SECRET_KEYS}
    if isinstance(content, list):
        return [_without_secrets(value) for value in content]
    return content


def entry_json(row) -> dict:
    entry, email, display_name, role = row
    actor = None if entry.actor_id is None else {
        "id": entry.actor_id, "email": email, "display_name": display_name, "role": role}
    return as_public(AuditEntryPublic, {
        "seq": entry.seq, "at": entry.at, "actor": actor, "actor_label": entry.actor,
        "action": entry.action, "subject_type": entry.subject_type,
        "subject_id": entry.subject_id, "reason": entry.reason,
        "reason_code": entry.reason_code, "reason_params": entry.reason_params,
        "before": _without_secrets(entry.before), "after": _without_secrets(entry.after)})
