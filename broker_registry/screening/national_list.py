"""The national denied-parties list: the parties a regulator chose to list on denying an
application, with the grounds, and an admin's corrections and removals. Every change is
audited in the same transaction; UN entries change only by importing the UN list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..audit.models import AuditAction
from ..audit.service import record
from ..db.columns import utcnow
from ..errors import Conflict, NotFound
from .models import DeniedParty, DeniedSource
from .schemas import NationalEntryEdit

SUBJECT = "denied_party"


def entry_dict(row: DeniedParty) -> dict:
    return {"id": row.id, "source": row.source, "reference": row.reference, "kind": row.kind,
            "name": row.name, "aliases": list(row.aliases),
            "original_script_name": row.original_script_name,
            "countries": list(row.countries), "list_type": row.list_type,
            "listed_on": row.listed_on.isoformat() if row.listed_on else None,
            "licence_id": row.licence_id, "grounds": row.grounds}


def list_on_denial(session: Session, *, actor, reference: str, licence_id: int,
                   parties: list[tuple[str, dict]], grounds: str) -> list[DeniedParty]:
    """The parties the regulator chose (none unless chosen) join the national list."""
    if not parties:
        return []
    rows = [DeniedParty(source=DeniedSource.AUTHORITY, reference=f"{reference}/{role}",
                        kind="entity", name=party["name"], countries=[party["country"]],
                        list_type="authority denial", listed_on=utcnow().date(),
                        licence_id=licence_id, grounds=grounds)
            for role, party in parties]
    session.add_all(rows)
    session.flush()
    record(session, actor=actor, action=AuditAction.DENIED_PARTIES_ADDED,
           subject_type="denied_list", subject_id=DeniedSource.AUTHORITY, reason=grounds,
           after={"licence": reference, "names": [row.name for row in rows],
                  "roles": [role for role, _ in parties]})
    return rows


def get_entry(session: Session, entry_id: int, *, for_change: bool = False) -> DeniedParty:
    row = session.get(DeniedParty, entry_id, with_for_update=for_change or None)
    if row is None:
        raise NotFound(_l("No entry %(id)s on the denied-parties list.", id=entry_id))
    if for_change and row.source != DeniedSource.AUTHORITY:
        raise Conflict(_l("Entries of the UN Consolidated List change only by importing the "
                          "UN list again."))
    return row


def edit_entry(session: Session, *, actor, entry_id: int,
               edit: NationalEntryEdit) -> DeniedParty:
    row = get_entry(session, entry_id, for_change=True)
    before = entry_dict(row)
    for field in ("name", "aliases", "countries", "grounds"):
        value = getattr(edit, field)
        if value is not None:
            setattr(row, field, list(value) if isinstance(value, list) else value)
    session.add(row)
    session.flush()
    record(session, actor=actor, action=AuditAction.DENIED_PARTY_EDITED, subject_type=SUBJECT,
           subject_id=row.id, reason=edit.reason, before=before, after=entry_dict(row))
    return row


def remove_entry(session: Session, *, actor, entry_id: int, reason: str) -> None:
    row = get_entry(session, entry_id, for_change=True)
    before = entry_dict(row)
    session.delete(row)
    session.flush()
    record(session, actor=actor, action=AuditAction.DENIED_PARTY_REMOVED, subject_type=SUBJECT,
           subject_id=entry_id, reason=reason, before=before)
