"""Foreign authorities: added once an admin confirmed the root's fingerprint, suspended,
reinstated and removed, each change audited in its own transaction and effective at once."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from certs.federation import (
    METADATA_PATH,
    FederationError,
    fingerprint,
    load_root,
    normalise_fingerprint,
    parse_metadata,
)
from certs.pki import certificate_der

from ..audit.models import AuditAction
from ..audit.service import record
from ..db import lock_rows
from ..db.columns import utcnow
from ..errors import Conflict, FieldError, NotFound, ValidationFailed, invalid
from . import fetching
from .models import AuthorityStatus, ForeignAuthority

REMOVED = "removed"
# Every change of a foreign authority's standing: (from, action) -> (to, audit action).
TRANSITIONS = {
    (AuthorityStatus.ACTIVE, "suspend"): (AuthorityStatus.SUSPENDED,
                                          AuditAction.AUTHORITY_SUSPENDED),
    (AuthorityStatus.SUSPENDED, "reinstate"): (AuthorityStatus.ACTIVE,
                                               AuditAction.AUTHORITY_REINSTATED),
    (AuthorityStatus.ACTIVE, "remove"): (REMOVED, AuditAction.AUTHORITY_REMOVED),
    (AuthorityStatus.SUSPENDED, "remove"): (REMOVED, AuditAction.AUTHORITY_REMOVED),
}
ACTIONS = ("suspend", "reinstate", "remove")


@dataclass(frozen=True)
class Candidate:
    """An authority as proposed, before the admin confirms its root's fingerprint."""

    code: str
    name: str
    base_url: str
    root_der: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.root_der)


def fetch_candidate(base_url: str, *, timeout: float = 10) -> Candidate:
    """The partner's own federation metadata, fetched from its well-known path."""
    base_url = _base_url(base_url)
    try:
        answer = fetching.get(base_url + METADATA_PATH, timeout=timeout)
        metadata = parse_metadata(json.loads(answer.body))
    except fetching.Unreachable as error:
        raise invalid("base_url", _l("The partner cannot be reached: %(why)s",
                                     why=str(error))) from None
    except (ValueError, FederationError):
        raise invalid("base_url", _l("The address does not publish federation metadata at "
                                     "%(path)s.", path=METADATA_PATH)) from None
    return Candidate(metadata.code, metadata.name, base_url, metadata.root_der)


def candidate(*, code: str, name: str, base_url: str, root: bytes) -> Candidate:
    """An authority typed in by hand with its root certificate (PEM or DER) pasted."""
    errors = []
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > 40 or not code.isprintable() or " " in code:
        errors.append(FieldError("code", _l("Enter the authority's code, e.g. YY-NCA.")))
    if not name or len(name) > 200:
        errors.append(FieldError("name", _l("Enter the authority's name.")))
    try:
        base_url = fetching.check_url(base_url)
    except ValueError:
        errors.append(FieldError("base_url", _l("Enter an http:// or https:// address.")))
    try:
        root_der = certificate_der(load_root(root))
    except FederationError:
        errors.append(FieldError("root", _l("Paste the root certificate, PEM or DER, of a "
                                            "certificate authority.")))
    if errors:
        raise ValidationFailed(errors)
    return Candidate(code, name, base_url, root_der)


def _base_url(text: str) -> str:
    try:
        return fetching.check_url(text)
    except ValueError:
        raise invalid("base_url", _l("Enter an http:// or https:// address.")) from None


def add(session: Session, *, actor, proposed: Candidate, confirmed_fingerprint: str,
        home_code: str) -> ForeignAuthority:
    """Trust the proposed authority, only when the fingerprint the admin received out of
    band is that of its root: anything else changes nothing."""
    typed = normalise_fingerprint(confirmed_fingerprint)
    if typed is None:
        raise invalid("fingerprint", _l("Enter the SHA-256 fingerprint: 64 hexadecimal "
                                        "digits."))
    if typed != proposed.fingerprint:
        raise invalid("fingerprint", _l("The fingerprint does not match the root's: do not "
                                        "trust this root. Nothing was added."))
    if proposed.code == home_code:
        raise invalid("code", _l("That is this registry's own authority code."))
    row = session.exec(lock_rows(select(ForeignAuthority).where(
        ForeignAuthority.code == proposed.code))).first()
    if row is not None and row.status != REMOVED:
        raise Conflict(_l("The authority %(code)s is already trusted (%(status)s).",
                          code=proposed.code, status=row.status))
    row = row or ForeignAuthority(code=proposed.code, name=proposed.name,
                                  base_url=proposed.base_url, root_der=proposed.root_der,
                                  fingerprint=proposed.fingerprint)
    row.name, row.base_url, row.root_der = proposed.name, proposed.base_url, proposed.root_der
    row.fingerprint, row.status, row.updated_at = proposed.fingerprint, "active", utcnow()
    row.trust_list = row.trust_list_etag = row.revocations_full = None
    row.revocations_deltas, row.refreshed_at, row.last_error = [], None, None
    row.stale_since = utcnow()  # no list yet: stale until the first refresh
    session.add(row)
    session.flush()
    record(session, actor=actor, action=AuditAction.AUTHORITY_ADDED, subject_type="authority",
           subject_id=row.code, after={"name": row.name, "base_url": row.base_url,
                                       "fingerprint": row.fingerprint})
    return row


def change(session: Session, *, actor, code: str, action: str, reason: str) -> ForeignAuthority:
    row = session.exec(lock_rows(select(ForeignAuthority).where(
        ForeignAuthority.code == code))).first()
    if row is None or row.status == REMOVED:
        raise NotFound(_l("No trusted authority %(code)s.", code=code))
    if not (reason or "").strip():
        raise invalid("reason", _l("Give a reason."))
    step = TRANSITIONS.get((row.status, action))
    if step is None:
        raise Conflict(_l("The authority %(code)s is %(status)s.", code=code,
                          status=row.status))
    before, (row.status, audit_action) = row.status, step
    row.updated_at = utcnow()
    session.add(row)
    record(session, actor=actor, action=audit_action, subject_type="authority",
           subject_id=row.code, reason=reason.strip(), before={"status": before},
           after={"status": row.status})
    return row


def listed(session: Session) -> list[ForeignAuthority]:
    return list(session.exec(select(ForeignAuthority).where(
        ForeignAuthority.status != REMOVED).order_by(ForeignAuthority.code)))


def get(session: Session, code: str) -> ForeignAuthority:
    row = session.exec(select(ForeignAuthority).where(ForeignAuthority.code == code,
                                                      ForeignAuthority.status != REMOVED)).first()
    if row is None:
        raise NotFound(_l("No trusted authority %(code)s.", code=code))
    return row
