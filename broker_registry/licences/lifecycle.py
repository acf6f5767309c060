"""What can happen to a licence's status, as one table, and the one function that changes it.

The licence alone: what a licence's sanction reaches beyond it (its certificates) is the
sanctions layer's, and the decisions around a change (screening, numbering, telling the
broker) are the workflow's.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..audit.models import AuditAction
from ..audit.reasons import Recorded
from ..audit.service import record
from ..db.columns import utcnow
from ..states import Machine, Transition, row
from .models import Licence, LicenceStatus

S = LicenceStatus
A = AuditAction

# Every allowed change of a licence's status, written once: from, action, to, the audit
# action, the past tense (and, for the two approvals, the word a refusal uses). Expired is
# computed from valid_until, so it appears only as a starting point.
TRANSITIONS = Machine([
    row({S.DRAFT}, "submit", S.SUBMITTED, A.LICENCE_SUBMITTED, _l("submitted")),
    row({S.SUBMITTED, S.AWAITING_COUNTERSIGNATURE}, "request_information",
        S.INFORMATION_REQUESTED, A.LICENCE_INFORMATION_REQUESTED,
        _l("asked for more information")),
    row({S.INFORMATION_REQUESTED}, "respond", S.SUBMITTED, A.LICENCE_RESPONDED, _l("answered")),
    row({S.SUBMITTED}, "approve", S.AWAITING_COUNTERSIGNATURE, A.LICENCE_APPROVED,
        _l("approved (awaiting countersignature)"), refused_as=_l("approved")),
    row({S.AWAITING_COUNTERSIGNATURE}, "countersign", S.ISSUED, A.LICENCE_ISSUED, _l("issued"),
        refused_as=_l("approved")),
    row({S.SUBMITTED, S.AWAITING_COUNTERSIGNATURE, S.INFORMATION_REQUESTED}, "deny", S.DENIED,
        A.LICENCE_DENIED, _l("denied")),
    row({S.ISSUED}, "suspend", S.SUSPENDED, A.LICENCE_SUSPENDED, _l("suspended")),
    row({S.SUSPENDED}, "reinstate", S.ISSUED, A.LICENCE_REINSTATED, _l("reinstated")),
    row({S.ISSUED, S.SUSPENDED, S.EXPIRED}, "revoke", S.REVOKED, A.LICENCE_REVOKED,
        _l("revoked")),
], refusal=lambda **kw: _refused(**kw))
# Once issued, it is a licence, no longer an application, whatever became of it.
_ISSUED_ONCE = frozenset({S.ISSUED, S.SUSPENDED, S.REVOKED, S.EXPIRED})


def _refused(*, status, done, allowed, current) -> object:
    if current in _ISSUED_ONCE:
        return _l("The licence is %(status)s; it cannot be %(done)s (allowed from: "
                  "%(allowed)s).", status=status, done=done, allowed=allowed)
    return _l("The licence application is %(status)s; it cannot be %(done)s (allowed from: "
              "%(allowed)s).", status=status, done=done, allowed=allowed)


def snapshot(licence: Licence) -> dict:
    return {"status": str(licence.effective_status), "licence_number": licence.licence_number,
            "valid_until": licence.valid_until.isoformat() if licence.valid_until else None}


def check(licence: Licence, action: str) -> Transition:
    return TRANSITIONS.check(licence.effective_status, action)


def transition(session: Session, actor, licence: Licence, action: str,
               reason: str | Recorded | None, extra: dict | None = None) -> Licence:
    """The status change and its audit entry (`extra` added to what it records after)."""
    rule = check(licence, action)
    before = snapshot(licence)
    licence.status = rule.to
    licence.updated_at = utcnow()
    session.add(licence)
    session.flush()
    record(session, actor=actor, action=rule.audit, subject_type="licence",
           subject_id=licence.id, reason=reason, before=before,
           after={**snapshot(licence), **(extra or {})})
    return licence
