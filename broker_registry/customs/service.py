"""Shipments drawn against certificates, deliveries confirmed, markings traced."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ..audit.models import AuditAction
from ..audit.reasons import delivery_short
from ..audit.service import record
from ..brokers.models import Broker
from ..certificates import service as certificates
from ..certificates.models import Certificate, CertificateLine, CertificateStatus
from ..db.columns import utcnow
from ..errors import Conflict, FieldError, ValidationFailed
from ..i18n.labels import STATUSES, label
from ..licences.models import Licence
from . import markings
from .models import Delivery, Marking, RefusedShipment, Shipment


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


class KeyReused(Conflict):
    """An Idempotency-Key already recorded a shipment with another body."""


class OverDrawn(Conflict):
    """More asked than is left on some lines: `lines` says which, as {index, line, asked,
    left}, for a page to put each error on its line's field."""

    def __init__(self, detail, lines: list[dict]):
        super().__init__(detail)
        self.lines = lines


def replay(session: Session, actor, key: str, body_hash: str, model=Shipment):
    """The row (a shipment, or another `model` kept by Idempotency-Key: recorded_by,
    idempotency_key, request_hash) that a retry with this key already recorded, if any;
    KeyReused when that first request had another body."""
    row = session.exec(select(model).where(model.recorded_by == actor.id,
                                           model.idempotency_key == key)).first()
    if row is not None and row.request_hash != body_hash:
        raise KeyReused(_l("This Idempotency-Key was used with a different request body."))
    return row


def _known_once(lines, by_no: dict[int, CertificateLine], errors: list[FieldError]) -> list:
    """The (index, item, row) of each line that names a line of the certificate, once; an
    error for each that does not."""
    found, seen = [], set()
    for index, item in enumerate(lines):
        if item.line not in by_no:
            errors.append(FieldError(f"lines.{index}.line",
                                      _l("the certificate has no line %(n)s", n=item.line)))
        elif item.line in seen:
            errors.append(FieldError(f"lines.{index}.line", _l("each line once")))
        else:
            found.append((index, item, by_no[item.line]))
        seen.add(item.line)
    return found


def _check_lines(lines, by_no: dict[int, CertificateLine]) -> None:
    errors: list[FieldError] = []
    _known_once(lines, by_no, errors)
    for index, item in enumerate(lines):
        if len(item.markings or []) > item.quantity:
            errors.append(FieldError(f"lines.{index}.markings", _l("more markings than items")))
    errors += markings.duplicates(lines)
    if errors:
        raise ValidationFailed(errors)


def draw(session: Session, *, actor, number: str, border_post: str, lines,
         idempotency_key: str | None, body_hash: str) -> Shipment:
    """Draw quantities down inside the certificate's row locks, so two border posts drawing
    at the same moment can never together ship more than is left. With an Idempotency-Key
    already recorded, the shipment it recorded (a retry draws nothing)."""
    certificate = certificates.get_for(session, actor, number, lock=True)
    if idempotency_key is not None:
        # Under the certificate's lock: a retry that raced the first send and waited here
        # gets the first's shipment, not "nothing left" (which the first just drew).
        earlier = replay(session, actor, idempotency_key, body_hash)
        if earlier is not None:
            return earlier
    status = certificate.effective_status
    if status != CertificateStatus.VALID:
        raise Conflict(_l("The certificate is %(status)s: nothing may be shipped against it.",
                          status=label(STATUSES, status)))
    rows = certificates.lines_of(session, certificate.id, lock=True)
    by_no = {row.line_no: row for row in rows}
    _check_lines(lines, by_no)
    if all(row.left == 0 for row in rows):
        raise Conflict(_l("The certificate is exhausted: every goods line is fully shipped."))
    over = [{"index": index, "line": i.line, "asked": i.quantity, "left": by_no[i.line].left}
            for index, i in enumerate(lines) if i.quantity > by_no[i.line].left]
    if over:
        said = "; ".join(str(_l("line %(n)s: %(asked)s asked, %(left)s left", n=o["line"],
                                asked=o["asked"], left=o["left"])) for o in over)
        raise OverDrawn(_l("More than the certificate has left: %(lines)s.", lines=said), over)
    for item in lines:
        by_no[item.line].shipped += item.quantity
        session.add(by_no[item.line])
    shipment = Shipment(certificate_id=certificate.id, border_post=border_post,
                        recorded_by=actor.id, idempotency_key=idempotency_key,
                        request_hash=body_hash,
                        lines=[{"line": i.line, "quantity": i.quantity} for i in lines])
    session.add(shipment)
    certificate.last_shipment_at = utcnow()
    session.add(certificate)
    session.flush()
    warnings = markings.record(session, shipment, lines)
    after = {"shipment": shipment.id, "border_post": border_post, "lines": shipment.lines}
    if warnings:
        after["markings_crossed_before"] = warnings
    record(session, actor=actor, action=AuditAction.SHIPMENT_RECORDED,
           subject_type="certificate", subject_id=certificate.number, after=after)
    return shipment


def record_shipment(session: Session, *, actor, number: str, border_post: str, lines,
                    idempotency_key: str | None) -> Shipment:
    """Record a shipment against one of our certificates and commit it: what the API and the
    lane and the page's form do. A retry with the same Idempotency-Key and body answers the first;
    with another body, KeyReused. Refusals (Conflict, ValidationFailed) are raised, nothing
    recorded."""
    body_hash = request_hash({"number": number, "border_post": border_post,
                              "lines": [line.model_dump() for line in lines]})
    try:
        shipment = draw(session, actor=actor, number=number, border_post=border_post,
                        lines=lines, idempotency_key=idempotency_key, body_hash=body_hash)
        session.commit()
    except IntegrityError:  # the same key raced in from another worker and won
        session.rollback()
        shipment = replay(session, actor, idempotency_key, body_hash) if idempotency_key \
            else None
        if shipment is None:  # not a key that won: a fault, not a retry
            raise
    return shipment


def flag_refused(session: Session, *, actor, number: str, queued_at, border_post: str,
                 lines: list[dict], idempotency_key: str, reason: str) -> RefusedShipment:
    """Keep a shipment recorded offline that the registry refused on arrival, for regulators
    to see on the certificate's page; the same queued shipment sent again is flagged once."""
    certificate = certificates.get_for(session, actor, number)
    earlier = session.exec(select(RefusedShipment).where(
        RefusedShipment.recorded_by == actor.id,
        RefusedShipment.idempotency_key == idempotency_key)).first()
    if earlier is not None:
        return earlier
    flag = RefusedShipment(certificate_id=certificate.id, recorded_by=actor.id,
                           queued_at=queued_at, border_post=border_post, lines=lines,
                           idempotency_key=idempotency_key, reason=reason[:1000])
    session.add(flag)
    session.flush()
    record(session, actor=actor, action=AuditAction.SHIPMENT_REFUSED_ON_ARRIVAL,
           subject_type="certificate", subject_id=certificate.number, reason=reason,
           after={"refused": flag.id, "border_post": border_post, "lines": lines,
                  "queued_at": queued_at.isoformat()})
    return flag


def refused_of(session: Session, certificate_id: int) -> list[RefusedShipment]:
    return list(session.exec(select(RefusedShipment).where(
        RefusedShipment.certificate_id == certificate_id).order_by(RefusedShipment.id)))


def shipments_of(session: Session, certificate_id: int) -> list[Shipment]:
    return list(session.exec(select(Shipment).where(Shipment.certificate_id == certificate_id)
                             .order_by(Shipment.id)))


def delivery_of(session: Session, certificate_id: int) -> Delivery | None:
    return session.exec(select(Delivery).where(Delivery.certificate_id == certificate_id)).first()


def _check_received(certificate: Certificate, received_at, lines,
                    by_no: dict[int, CertificateLine]) -> None:
    """What arrived can only be goods the certificate names, each line once, no more than was
    shipped, and after the certificate was issued."""
    errors: list[FieldError] = []
    if received_at < certificate.issued_at:
        errors.append(FieldError("received_at", _l("is before the certificate was issued")))
    for index, item, row in _known_once(lines, by_no, errors):
        if item.quantity > row.shipped:
            errors.append(FieldError(f"lines.{index}.quantity",
                                      _l("%(received)s received, but only %(shipped)s shipped",
                                         received=item.quantity, shipped=row.shipped)))
    if errors:
        raise ValidationFailed(errors)


def confirm_delivery(session: Session, *, actor, number: str, received_at, lines,
                     remarks: str | None) -> Delivery:
    certificate = certificates.get_for(session, actor, number, lock=True)
    if certificate.last_shipment_at is None:
        raise Conflict(_l("Nothing has been shipped against this certificate yet."))
    if session.exec(select(Delivery).where(Delivery.certificate_id == certificate.id)).first():
        raise Conflict(_l("Delivery has already been confirmed for this certificate."))
    by_no = {row.line_no: row for row in certificates.lines_of(session, certificate.id)}
    _check_received(certificate, received_at, lines, by_no)
    delivery = Delivery(certificate_id=certificate.id, received_at=received_at,
                        lines=[{"line": i.line, "quantity": i.quantity} for i in lines],
                        remarks=remarks, recorded_by=actor.id)
    certificate.delivered_at = received_at
    session.add_all([delivery, certificate])
    short = [(i.line, i.quantity, by_no[i.line].shipped)
             for i in lines if i.quantity != by_no[i.line].shipped]
    record(session, actor=actor, action=AuditAction.DELIVERY_CONFIRMED,
           subject_type="certificate", subject_id=certificate.number,
           reason=delivery_short(short), after={"lines": delivery.lines})
    session.flush()
    return delivery


def overdue_since(cutoff):
    """Where a certificate's delivery is overdue: shipped before cutoff, never confirmed."""
    return sa.and_(Certificate.dvc_required.is_(True), Certificate.delivered_at.is_(None),
                   Certificate.last_shipment_at.is_not(None),
                   Certificate.last_shipment_at < cutoff)


def overdue(session: Session, *, days: int, limit: int = 200,
            after: int | None = None) -> list[Certificate]:
    """Shipped certificates whose delivery is overdue, by id (keyset pages after `after`)."""
    cutoff = utcnow() - timedelta(days=days)
    return list(session.exec(select(Certificate).where(
        overdue_since(cutoff), Certificate.id > (after or 0))
        .order_by(Certificate.id).limit(limit)))


def trace(session: Session, marking: str, *, limit: int = 100,
          after: int | None = None) -> list[dict]:
    """Every shipment a marking (serial number) passed through, with its chain of custody, in
    the order they were recorded (keyset pages after the marking row `after`)."""
    rows = session.execute(
        sa.select(Marking, Shipment, Certificate, Licence, Broker)
        .join(Shipment, Shipment.id == Marking.shipment_id)
        .join(Certificate, Certificate.id == Shipment.certificate_id)
        .join(Licence, Licence.id == Certificate.licence_id)
        .join(Broker, Broker.id == Licence.broker_id)
        .where(Marking.marking == marking.strip()[:100], Marking.id > (after or 0))
        .order_by(Marking.id).limit(limit))
    return [{"id": m.id, "marking": m.marking, "line": m.line_no, "shipment_id": s.id,
             "crossed_before": m.crossed_before,
             "border_post": s.border_post, "recorded_at": s.recorded_at,
             "certificate": c.number, "licence": lic.licence_number,
             "broker": b.legal_name, "broker_registration": b.registration_number}
            for m, s, c, lic, b in rows]
