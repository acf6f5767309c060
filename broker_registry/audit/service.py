"""Writing and reading the audit log. Entries are written in the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from ..db.columns import utcnow
from ..db.counters import current_value, next_value
from .chain import GENESIS, ChainProblem, check_chain, entry_hash
from .models import AuditAction, AuditEntry
from .reasons import Recorded, stored

COUNTER = "audit"


def actor_label(account) -> str:
    if account is None:
        return "system"
    return f"{account.role}:{account.email}"


def _as_stored(content: dict | None) -> dict | None:
    """Content as the JSON column gives it back (keys as text, dates as text), so the hash
    taken now is the hash `verify` takes later: {2: 1, 10: 1} sorts one way as numbers and
    the other way as text."""
    if content is None:
        return None
    return json.loads(json.dumps(content, default=str))


def record(session: Session, *, actor, action: AuditAction, subject_type: str,
           subject_id: Any, reason: str | Recorded | None = None, before: dict | None = None,
           after: dict | None = None) -> AuditEntry:
    """`reason` as a person typed it, or a Recorded one the registry writes (a code and its
    parameters, kept beside the English they make)."""
    # Drawing the number locks the counter row until commit, so entries chain in order.
    seq = next_value(session, COUNTER)
    prev_hash = GENESIS
    if seq > 1:
        prev_hash = session.execute(
            sa.select(AuditEntry.hash).where(AuditEntry.seq == seq - 1)
        ).scalar_one_or_none() or GENESIS
    text, code, params = stored(reason)
    entry = AuditEntry(
        seq=seq, at=utcnow(), actor_id=getattr(actor, "id", None), actor=actor_label(actor),
        action=str(action), subject_type=subject_type, subject_id=str(subject_id),
        reason=text, reason_code=code, reason_params=_as_stored(params),
        before=_as_stored(before), after=_as_stored(after),
        prev_hash=prev_hash, hash="",
    )
    entry.hash = entry_hash(prev_hash, entry)
    session.add(entry)
    session.flush()
    return entry


def history(session: Session, subject_type: str, subject_id: Any) -> list[AuditEntry]:
    statement = (
        select(AuditEntry)
        .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == str(subject_id))
        .order_by(AuditEntry.seq)
    )
    return list(session.exec(statement))


def verify(session: Session, batch: int = 1000) -> list[ChainProblem]:
    def entries():
        last_id = 0
        while True:
            rows = list(session.exec(
                select(AuditEntry).where(AuditEntry.id > last_id)
                .order_by(AuditEntry.id).limit(batch)
            ))
            if not rows:
                return
            yield from rows
            last_id = rows[-1].id

    return check_chain(entries(), current_value(session, COUNTER))


def internal_note(entry: AuditEntry) -> str | None:
    """The regulator's internal note kept with a decision: for staff, never sent."""
    return (entry.after or {}).get("internal_note") if isinstance(entry.after, dict) else None
