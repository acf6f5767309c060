"""Issuing end-user certificates under a licence, and what can happen to them afterwards."""

from __future__ import annotations

import os
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from certs import euc
from certs.errors import MalformedError, PayloadTooLarge, QrEncodingError
from certs.revocation_list import EntryStatus, Reason, cti_hash
from certs.trust_list import Authority

from ..audit.models import AuditAction
from ..audit.reasons import Recorded, stored
from ..audit.service import record
from ..brokers.models import Broker, RegistrationStatus
from ..db import lock_rows
from ..db.columns import utcnow
from ..db.counters import next_value
from ..errors import Conflict, FieldError, NotFound, ValidationFailed, invalid
from ..i18n.labels import STATUSES, label
from ..keys.service import active_signer
from ..licences import service as licences
from ..licences.models import Licence, LicenceLine, LicenceStatus
from ..permissions import Permission, has_permission
from ..revocations import service as revocations
from ..states import Machine, row
from .content import certificate_content
from .models import REVOKE_CODES, Certificate, CertificateLine, CertificateStatus

CS = CertificateStatus


def allocated(session: Session, licence_id: int) -> dict[int, int]:
    """Per licence line, what certificates hold: all of it, or what a revoked one shipped."""
    held = sa.case((Certificate.status == CS.REVOKED, CertificateLine.shipped),
                   else_=CertificateLine.quantity)
    rows = session.execute(sa.select(CertificateLine.line_no, sa.func.sum(held))
                           .join(Certificate, Certificate.id == CertificateLine.certificate_id)
                           .where(Certificate.licence_id == licence_id)
                           .group_by(CertificateLine.line_no))
    return {line_no: int(total or 0) for line_no, total in rows}


def _quantities(licence: Licence, lines: list[LicenceLine], held: dict[int, int],
                wanted) -> dict[int, int]:
    left = {line.line_no: line.quantity - held.get(line.line_no, 0) for line in lines}
    if not wanted:
        quantities = {n: q for n, q in left.items() if q > 0}
        if not quantities:
            raise Conflict(_l("Licence %(number)s is issued, and every one of its goods lines "
                              "is already on certificates: nothing is left to certify.",
                              number=licence.licence_number))
        return quantities
    quantities, errors = {}, []
    for index, item in enumerate(wanted):
        if item.line not in left:
            errors.append(FieldError(f"lines.{index}.line",
                                      _l("the licence has no line %(n)s", n=item.line)))
        elif item.line in quantities:
            errors.append(FieldError(f"lines.{index}.line", _l("each line once")))
        else:
            quantities[item.line] = item.quantity
    if errors:
        raise ValidationFailed(errors)
    over = {n: left[n] for n, q in quantities.items() if q > left[n]}
    if over:
        raise OverWhatIsLeft(over, quantities)
    return quantities


def why_not_issuable(licence: Licence, broker: Broker) -> str | None:
    """None when a certificate may be issued under the licence; otherwise why not: the
    issue form says it instead of offering a form that would only be refused."""
    if licence.effective_status != LicenceStatus.ISSUED:
        return str(_l("The licence is %(status)s; certificates are issued only under an "
                      "issued licence.", status=label(STATUSES, licence.effective_status)))
    if broker.effective_status != RegistrationStatus.REGISTERED:
        return str(_l("The broker's registration is %(status)s.",
                      status=label(STATUSES, broker.effective_status)))
    return None
class OverWhatIsLeft(Conflict):
    """Quantities asked beyond what the licence has left; `left` maps each such line to what
    it has left, so a page can say so on the line's own field."""

    def __init__(self, left: dict[int, int], asked: dict[int, int]):
        self.left = left
        super().__init__(_l("More than the licence has left: %(lines)s.", lines="; ".join(
            str(_l("line %(n)s: %(asked)s asked, %(left)s left", n=n, asked=asked[n],
                   left=number)) for n, number in left.items())))


def _issuable_licence(session: Session, actor, licence_id: int) -> tuple[Licence, Broker]:
    # Found as the actor may see it: another broker's draft is not found, not "a draft".
    licence = licences.get_for(session, actor, licence_id, lock=True)
    broker = session.get(Broker, licence.broker_id)
    if (why := why_not_issuable(licence, broker)) is not None:
        raise Conflict(why)
    return licence, broker


def issue(session: Session, *, actor, licence_id: int, lines=None,
          valid_until: datetime | None, authority: Authority, store) -> Certificate:
    licence, broker = _issuable_licence(session, actor, licence_id)
    licence_lines = list(session.exec(select(LicenceLine).where(LicenceLine.licence_id
                                                                == licence.id)
                                      .order_by(LicenceLine.line_no)))
    quantities = _quantities(licence, licence_lines, allocated(session, licence.id), lines)
    now = utcnow().replace(microsecond=0)
    valid_until = valid_until or licence.valid_until
    if valid_until > licence.valid_until:
        raise invalid("valid_until", _l("must not be after the licence's validity (%(date)s)",
                                        date=f"{licence.valid_until:%Y-%m-%d}"))
    if valid_until <= now:
        raise invalid("valid_until", _l("must be in the future"))
    number = f"EUC-{authority.country}-{now.year}-" \
             f"{next_value(session, f'certificate:{authority.country}:{now.year}'):06d}"
    content = certificate_content(number=number, licence=licence, lines=licence_lines,
                                  quantities=quantities, broker=broker,
                                  authority_name=authority.name,
                                  authority_country=authority.country)
    cti, signer = os.urandom(16), active_signer(session, store)
    payload = _sign(iss=authority.code, now=now, valid_until=valid_until, cti=cti,
                    content=content, signer=signer)
    certificate = Certificate(number=number, licence_id=licence.id, signer_id=signer.id,
                              cti=cti, cti_hash=cti_hash(cti), issued_by=actor.id,
                              issued_at=now, not_before=now, valid_until=valid_until,
                              content=content, qr_payload=payload)
    session.add(certificate)
    session.flush()
    by_no = {line.line_no: line for line in licence_lines}
    for line_no, quantity in sorted(quantities.items()):
        session.add(CertificateLine(certificate_id=certificate.id, line_no=line_no,
                                    licence_line_id=by_no[line_no].id, quantity=quantity))
    record(session, actor=actor, action=AuditAction.CERTIFICATE_ISSUED,
           subject_type="certificate", subject_id=number,
           after={"licence": licence.licence_number, "lines": quantities,
                  "valid_until": valid_until.isoformat(), "signer": signer.kid.hex()})
    return certificate


def _sign(*, iss, now, valid_until, cti, content, signer) -> str:
    try:
        return euc.sign_certificate(iss=iss, iat=int(now.timestamp()),
                                    nbf=int(now.timestamp()),
                                    exp=int(valid_until.timestamp()), cti=cti,
                                    content=content, signer_key=signer.private_key,
                                    signer_cert=signer.certificate)
    except PayloadTooLarge as error:
        raise ValidationFailed([FieldError("lines", str(error))], str(error)) from None
    except (MalformedError, QrEncodingError) as error:
        raise ValidationFailed([FieldError("body", str(error))], str(error)) from None


def get_for(session: Session, account, number: str, *, lock: bool = False) -> Certificate:
    statement = select(Certificate).where(Certificate.number == number[:40])
    if lock:
        statement = lock_rows(statement)
    certificate = session.exec(statement).first()
    if certificate is None or not _may_read(session, account, certificate):
        raise NotFound(_l("No certificate %(number)s.", number=number[:40]))
    return certificate


def _may_read(session: Session, account, certificate: Certificate) -> bool:
    return may_read(session, account, certificate.licence_id)


def may_read(executor, account, licence_id: int) -> bool:
    """Whether account (or principal) may read the certificates under this licence; executor
    is a session or a Core connection."""
    if has_permission(account.role, Permission.CERTIFICATE_READ_ANY):
        return True
    owner = executor.execute(_LICENCE_OWNER, {"id": licence_id}).scalar()
    return owner is not None and owner == account.id


def may_list(session: Session, account, licence_id: int) -> bool:
    """Whether account may list the licence's certificates: a licence it may read the
    certificates of, and not another broker's draft (whose very existence is theirs)."""
    licence = session.get(Licence, licence_id)
    if licence is None or licence.owner_id == account.id:
        return licence is not None
    return licence.status != LicenceStatus.DRAFT and \
        has_permission(account.role, Permission.CERTIFICATE_READ_ANY)


_LICENCE_OWNER = sa.select(Licence.owner_id).where(Licence.id == sa.bindparam("id"))


def lines_of(session: Session, certificate_id: int, *, lock: bool = False):
    statement = (select(CertificateLine).where(CertificateLine.certificate_id == certificate_id)
                 .order_by(CertificateLine.line_no))
    if lock:
        statement = lock_rows(statement)
    return list(session.exec(statement))


def remaining(session: Session, certificate: Certificate) -> list[dict]:
    return [{"line": line.line_no, "licensed": line.quantity, "shipped": line.shipped,
             "left": line.left} for line in lines_of(session, certificate.id)]


def for_licence(session: Session, licence_id: int, *, limit: int | None = None,
                after: int | None = None) -> list[Certificate]:
    return list(session.exec(select(Certificate).where(Certificate.licence_id == licence_id,
                                                       Certificate.id > (after or 0))
                             .order_by(Certificate.id).limit(limit)))


# Every allowed change of a certificate's stored status, written once: from, action, to, the
# audit action, the past tense. Expired is computed from valid_until and never stored, so a
# certificate past its date is still revoked or suspended as the valid one it was.
TRANSITIONS = Machine([
    row({CS.VALID}, "suspend", CS.SUSPENDED, AuditAction.CERTIFICATE_SUSPENDED, _l("suspended")),
    row({CS.SUSPENDED}, "reinstate", CS.VALID, AuditAction.CERTIFICATE_REINSTATED,
        _l("reinstated")),
    row({CS.VALID, CS.SUSPENDED}, "revoke", CS.REVOKED, AuditAction.CERTIFICATE_REVOKED,
        _l("revoked")),
], refusal=lambda **kw: _l("The certificate is already revoked.") if kw["current"] == CS.REVOKED
   else _l("The certificate is %(status)s; it cannot be %(done)s (allowed from: %(allowed)s).",
           status=kw["status"], done=kw["done"], allowed=kw["allowed"]))


def transition(session: Session, actor, certificate: Certificate, action: str,
               reason: str | Recorded, code: Reason, *, cause: str | None = None,
               listed: bool = True) -> Certificate:
    """One certificate's new status, through the table, with its audit entry and, when
    `listed`, its entry on the revocation list (not when its signer's entry already covers
    it). `cause` names what sanction reached it ("licence", "signer"); a certificate a
    sanction suspended is the one that sanction's lifting reinstates."""
    rule = TRANSITIONS.check(certificate.status, action)
    before = certificate.status
    status = CS(rule.to)
    certificate.status = status
    certificate.status_reason, certificate.status_reason_code, certificate.status_reason_params \
        = stored(reason)
    certificate.status_code = int(code)
    certificate.suspended_by = cause if status == CS.SUSPENDED else None
    certificate.updated_at = utcnow()
    session.add(certificate)
    seq = None
    if listed:
        list_status = EntryStatus.ACTIVE if status == CS.VALID else EntryStatus(str(status))
        seq = revocations.record_certificate(session, certificate, list_status, code)
    record(session, actor=actor, action=rule.audit, subject_type="certificate",
           subject_id=certificate.number, reason=reason, before={"status": before},
           after={"status": str(status), "revocation_seq": seq, "cause": cause})
    return certificate


def revoke(session: Session, *, actor, number: str, reason: str,
           code: str = "unspecified") -> Certificate:
    certificate = get_for(session, actor, number, lock=True)
    return transition(session, actor, certificate, "revoke", reason, REVOKE_CODES[code])


def not_revoked(session: Session, *, licence_id: int | None = None,
                signer_ids: list[int] | None = None) -> list[Certificate]:
    """The certificates under a licence, or signed by these signer keys, that are not revoked,
    locked: what a sanction on the licence or the key may reach."""
    statement = select(Certificate).where(Certificate.status != CS.REVOKED)
    if licence_id is not None:
        statement = statement.where(Certificate.licence_id == licence_id)
    if signer_ids is not None:
        statement = statement.where(Certificate.signer_id.in_(signer_ids))
    return list(session.exec(lock_rows(statement.order_by(Certificate.id))))
