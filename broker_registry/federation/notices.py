"""Shipment notices (docs/spec/federation.md section 4): recorded here against a partner's
certificate and queued, sent by the worker until the issuer acknowledges them; received from a
partner against one of ours, verified under its root, recorded once."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from certs.errors import TrustListError
from certs.federation import FederationError, Notice, read_notice, sign_notice, verify_notice
from certs.verify import Result, Verification

from ..accounts.locale import in_language_of
from ..accounts.models import Account
from ..audit.models import AuditAction
from ..audit.service import record
from ..certificates.models import Certificate, CertificateLine
from ..customs.service import replay, request_hash
from ..db import intent
from ..db.columns import utcnow
from ..errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed, invalid
from ..keys.service import active_signer
from ..notifications.service import notify
from ..permissions import Role
from . import fetching
from .models import (
    AuthorityStatus,
    ForeignAuthority,
    OutgoingNotice,
    ReceivedMarking,
    ReceivedNotice,
)
from .trust import trust_of
from .verification import verify_anywhere

NOTICES_PATH = "/api/v1/federation/notices"
MAX_BACKOFF = 3600  # seconds between two tries of one notice, at most


# --- sending ------------------------------------------------------------------------------


def ship_abroad(session: Session, reader, *, actor, payload: str, border_post: str, lines,
                idempotency_key: str | None, home, store, ours, partners) -> OutgoingNotice:
    """A shipment against a partner's certificate, as the API and the lane record it: the
    payload verified under its issuer's root, the shipment kept and its notice queued, and
    committed. A retry with the same Idempotency-Key and body answers the first one (one
    notice, one crossing at the issuer); with another body, KeyReused."""
    body_hash = request_hash({"payload": payload, "border_post": border_post,
                              "lines": [line.model_dump() for line in lines]})
    if idempotency_key is not None:
        earlier = replay(session, actor, idempotency_key, body_hash, OutgoingNotice)
        if earlier is not None:
            return earlier
    checked = verify_anywhere(reader, payload, home=home, ours=ours,
                              partners=partners).verification
    try:
        row = record_abroad(session, actor=actor, checked=checked, home_code=home.code,
                            store=store, border_post=border_post, lines=lines,
                            idempotency_key=idempotency_key, body_hash=body_hash)
        session.commit()
    except IntegrityError:  # the same key raced in and won: answer as it was answered
        session.rollback()
        row = replay(session, actor, idempotency_key, body_hash, OutgoingNotice)
    return row


def record_abroad(session: Session, *, actor, checked: Verification, home_code: str, store,
                  border_post: str, lines, idempotency_key: str | None = None,
                  body_hash: str | None = None) -> OutgoingNotice:
    """Keep a shipment against a partner's certificate and queue its signed notice. Only a
    certificate that verified VALID under its issuer's root; each line one of its goods
    lines, no more than it names (what is left is known only to the issuer)."""
    if checked.result != Result.VALID or checked.claims is None:
        raise Conflict(_l("The certificate is not valid (%(result)s): nothing may be shipped "
                          "against it.", result=str(checked.result)))
    claims = checked.claims
    authority = session.exec(select(ForeignAuthority).where(
        ForeignAuthority.code == claims.iss,
        ForeignAuthority.status == AuthorityStatus.ACTIVE)).first()
    if authority is None:
        raise Conflict(_l("The certificate's authority is not trusted here."))
    goods = {line["line"]: line for line in claims.content["goods"]}
    errors = []
    for index, item in enumerate(lines):
        if item.line not in goods:
            errors.append(FieldError(f"lines.{index}.line",
                                     _l("the certificate has no line %(n)s", n=item.line)))
        elif item.quantity > goods[item.line]["quantity"]:
            errors.append(FieldError(f"lines.{index}.quantity",
                                     _l("more than the certificate names")))
        if len(item.markings or []) > item.quantity:
            errors.append(FieldError(f"lines.{index}.markings", _l("more markings than items")))
    if len({item.line for item in lines}) != len(lines):
        errors.append(FieldError("lines", _l("each line once")))
    if errors:
        raise ValidationFailed(errors)
    kept = [{"line": i.line, "quantity": i.quantity, "markings": list(i.markings or [])}
            for i in lines]
    now = utcnow()
    notice = Notice(os.urandom(16), home_code, claims.iss, checked.cti_hash,
                    claims.content["number"], border_post, int(now.timestamp()), tuple(kept))
    signer = active_signer(session, store)
    row = OutgoingNotice(notice_id=notice.notice_id.hex(), authority_id=authority.id,
                         certificate_number=notice.number, cti_hash=notice.cti_hash,
                         border_post=border_post, lines=kept, recorded_by=actor.id,
                         recorded_at=now, next_attempt_at=now,
                         idempotency_key=idempotency_key, request_hash=body_hash,
                         body=sign_notice(notice, kid=signer.kid, key=signer.private_key))
    session.add(row)
    session.flush()
    record(session, actor=actor, action=AuditAction.SHIPMENT_RECORDED,
           subject_type="certificate", subject_id=notice.number,
           after={"authority": claims.iss, "notice_id": row.notice_id,
                  "border_post": border_post, "lines": kept})
    return row


def send_due(session: Session, *, now: datetime | None = None, timeout: float = 10,
             batch: int = 20) -> tuple[int, int]:
    """Send every notice that is due; (acknowledged, failed). A failure is tried again later,
    each time after twice as long, up to an hour."""
    now = now or utcnow()
    with intent(write=False):  # no transaction open while a partner is asked (SQLite)
        due = list(session.execute(
            sa.select(OutgoingNotice.id, OutgoingNotice.body, ForeignAuthority.base_url)
            .join(ForeignAuthority, ForeignAuthority.id == OutgoingNotice.authority_id)
            .where(OutgoingNotice.acknowledged_at.is_(None),
                   OutgoingNotice.next_attempt_at <= now)
            .order_by(OutgoingNotice.next_attempt_at).limit(batch)))
        session.rollback()
    sent = failed = 0
    for notice_id, body, base_url in due:
        error = _send(base_url, body, timeout)
        row = session.get(OutgoingNotice, notice_id)
        if error is None:
            row.acknowledged_at, row.last_error = utcnow(), None
            sent += 1
        else:
            row.attempts += 1
            row.last_error = error[:500]
            row.next_attempt_at = now + timedelta(seconds=min(2 ** row.attempts, MAX_BACKOFF))
            failed += 1
        session.add(row)
        session.commit()
    return sent, failed


def _send(base_url: str, body: bytes, timeout: float) -> str | None:
    """None once the issuer acknowledged the notice, else what went wrong."""
    try:
        answer = fetching.post(base_url + NOTICES_PATH, body, content_type="application/cose",
                               timeout=timeout)
        status = json.loads(answer.body).get("status")
    except (fetching.Unreachable, ValueError, AttributeError) as error:
        return str(error)
    if status not in ("recorded", "already_recorded"):
        return f"unexpected answer {answer.body[:200]!r}"
    return None


# --- receiving ----------------------------------------------------------------------------


def receive(session: Session, body: bytes, *, home_code: str) -> tuple[ReceivedNotice, bool]:
    """Verify and record a partner's notice; (the notice, whether it is new). A replay of the
    same bytes answers the first recording and changes nothing; the same notice id with
    other content is refused, as is a sender not trusted or a signature that fails."""
    try:
        claimed = read_notice(body)
    except FederationError as error:
        raise invalid("notice", str(error)) from None
    sender = session.exec(select(ForeignAuthority).where(
        ForeignAuthority.code == claimed.sender)).first()
    if sender is None or sender.status != AuthorityStatus.ACTIVE:
        raise Forbidden(_l("The authority %(code)s is not trusted here: its notices are "
                           "refused.", code=claimed.sender))
    try:
        notice = verify_notice(body, sender=trust_of(sender))
    except (FederationError, TrustListError) as error:
        raise Forbidden(_l("The notice does not verify under the root of %(code)s: %(why)s",
                           code=claimed.sender, why=str(error))) from None
    if notice.issuer != home_code:
        raise invalid("to", _l("The notice is addressed to %(code)s, not to this registry.",
                               code=notice.issuer))
    digest = hashlib.sha256(body).hexdigest()
    earlier = session.exec(select(ReceivedNotice).where(
        ReceivedNotice.notice_id == notice.notice_id.hex())).first()
    if earlier is not None:
        if earlier.body_sha256 != digest or earlier.authority_code != notice.sender:
            raise Conflict(_l("A notice with this id was recorded with other content: this "
                              "one is refused."))
        return earlier, False
    return _record(session, notice, digest), True


def _record(session: Session, notice: Notice, digest: str) -> ReceivedNotice:
    certificate = session.exec(select(Certificate).where(
        Certificate.cti_hash == notice.cti_hash)).first()
    if certificate is None:
        raise NotFound(_l("This registry issued no certificate with that identity."))
    licensed = dict(session.execute(sa.select(CertificateLine.line_no, CertificateLine.quantity)
                                    .where(CertificateLine.certificate_id == certificate.id)).all())
    unknown = [line["line"] for line in notice.lines if line["line"] not in licensed]
    if unknown:
        raise invalid("lines", _l("The certificate has no line %(n)s.", n=unknown[0]))
    reported = _reported(session, certificate.id, notice.sender)
    over = [line["line"] for line in notice.lines
            if reported.get(line["line"], 0) + line["quantity"] > licensed[line["line"]]]
    row = ReceivedNotice(notice_id=notice.notice_id.hex(), body_sha256=digest,
                         authority_code=notice.sender, certificate_id=certificate.id,
                         border_post=notice.border_post,
                         crossed_at=datetime.fromtimestamp(notice.crossed_at, UTC),
                         lines=[dict(line) for line in notice.lines], over_draw=bool(over))
    session.add(row)
    session.flush()
    for line in notice.lines:
        for marking in line["markings"]:
            session.add(ReceivedMarking(notice_id=row.id, line_no=line["line"], marking=marking))
    record(session, actor=None, action=AuditAction.NOTICE_RECEIVED, subject_type="certificate",
           subject_id=certificate.number, reason=f"reported by {notice.sender}",
           after={"notice_id": row.notice_id, "border_post": row.border_post,
                  "lines": row.lines, "over_draw": over})
    if over:
        _flag(session, certificate.number, notice.sender, over)
    return row


def _reported(session: Session, certificate_id: int, sender: str) -> dict[int, int]:
    """What one partner reported so far, per line: each border is a crossing of the same
    goods, so reports are summed per authority, never across authorities."""
    totals: dict[int, int] = {}
    for (lines,) in session.execute(sa.select(ReceivedNotice.lines).where(
            ReceivedNotice.certificate_id == certificate_id,
            ReceivedNotice.authority_code == sender)):
        for line in lines:
            totals[line["line"]] = totals.get(line["line"], 0) + line["quantity"]
    return totals


def _flag(session: Session, number: str, sender: str, lines: list[int]) -> None:
    regulators = session.execute(sa.select(Account.id, Account.email).where(
        Account.role == Role.REGULATOR, Account.active.is_(True)))
    for account_id, _email in regulators:
        with in_language_of(session, account_id):
            subject = gettext("Over-draw reported from abroad on %(number)s", number=number)
            body = gettext("%(authority)s reported crossings against certificate %(number)s "
                           "beyond what it licenses, on line(s) %(lines)s.", authority=sender,
                           number=number, lines=", ".join(map(str, lines)))
        notify(session, account_id=account_id, subject=subject, body=body)


def received_for(session: Session, certificate_id: int) -> list[ReceivedNotice]:
    return list(session.exec(select(ReceivedNotice).where(
        ReceivedNotice.certificate_id == certificate_id).order_by(ReceivedNotice.crossed_at)))


def reported_markings(session: Session, marking: str, *, limit: int = 100,
                      after: int | None = None) -> list[dict]:
    """Every crossing of a marking that partners reported against our certificates, in the
    order received (keyset pages after the marking row `after`)."""
    rows = session.execute(
        sa.select(ReceivedMarking, ReceivedNotice, Certificate.number)
        .join(ReceivedNotice, ReceivedNotice.id == ReceivedMarking.notice_id)
        .join(Certificate, Certificate.id == ReceivedNotice.certificate_id)
        .where(ReceivedMarking.marking == marking.strip()[:100],
               ReceivedMarking.id > (after or 0))
        .order_by(ReceivedMarking.id).limit(limit))
    return [{"id": m.id, "marking": m.marking, "line": m.line_no, "certificate": number,
             "border_post": n.border_post, "crossed_at": n.crossed_at,
             "reported_by": n.authority_code, "notice_id": n.notice_id}
            for m, n, number in rows]


def outgoing(session: Session, *, limit: int = 100) -> list[OutgoingNotice]:
    return list(session.exec(select(OutgoingNotice).order_by(OutgoingNotice.id.desc())
                             .limit(limit)))
