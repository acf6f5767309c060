"""Online verification: the offline routine of certs/, fed with what only the server knows."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from certs import pki
from certs.revocation_list import Entry, EntryStatus, Reason
from certs.trust_list import Signer, SignerStatus, TrustStore
from certs.verify import Result, Verification, verify

from ..certificates.models import Certificate, CertificateLine, CertificateStatus
from ..keys.models import SignerKey


class ServerTrust:
    """The trust store built from the signer table, rebuilt only when a signer changes."""

    def __init__(self):
        self._lock = threading.Lock()
        self._version = None
        self._store: TrustStore | None = None

    def store(self, session: Session) -> TrustStore:
        version = tuple(session.execute(sa.select(sa.func.count(SignerKey.id),
                                                  sa.func.max(SignerKey.updated_at))).one())
        with self._lock:
            if version != self._version:
                rows = session.execute(sa.select(SignerKey.certificate_der, SignerKey.status))
                signers = [Signer.from_certificate(pki.load_certificate(der), SignerStatus(st))
                           for der, st in rows]
                self._store, self._version = TrustStore(signers), version
            return self._store


class LiveRevocations:
    """Duck-types certs' RevocationState from the certificate table: always current.

    The certificate is read only once the signature has verified, by its indexed cti hash.
    """

    sequence = 1  # never "no list held": the database is the list
    next_update = 0

    def __init__(self, session: Session):
        self.session = session
        self.certificate: Certificate | None = None

    def status(self, h: bytes) -> EntryStatus | None:
        if self.certificate is None or self.certificate.cti_hash != h:
            self.certificate = self.session.execute(
                sa.select(Certificate).where(Certificate.cti_hash == h)).scalar_one_or_none()
        c = self.certificate
        if c is None or c.status == CertificateStatus.VALID:
            return None
        return EntryStatus(c.status)

    def lookup(self, h: bytes) -> Entry | None:
        status = self.status(h)
        if status is None:
            return None
        c = self.certificate
        return Entry(h, status, Reason.UNSPECIFIED, int(c.updated_at.timestamp()), 0)

    def signer_revoked(self, kid: bytes) -> bool:
        return False  # the trust store carries signer status online

    def stale_seconds(self, now: float) -> int:
        return 0


@dataclass(frozen=True)
class OnlineResult:
    verification: Verification
    result: Result
    reason: str
    certificate: Certificate | None


def verify_online(session: Session, payload, trust: ServerTrust) -> OnlineResult:
    live = LiveRevocations(session)
    checked = verify(payload, trust=trust.store(session), revocations=live)
    certificate = live.certificate
    result, reason = checked.result, checked.reason
    if certificate is not None and result in (Result.REVOKED, Result.SUSPENDED) \
            and certificate.status_reason:
        reason = f"{reason[:-1]}: {certificate.status_reason}"
    if result == Result.VALID and certificate is not None and _exhausted(session, certificate):
        result, reason = Result.EXHAUSTED, "Every goods line has been fully shipped."
    if result == Result.VALID and certificate is None:
        reason += " (This registry has no record of it: ask the issuing authority.)"
    return OnlineResult(checked, result, reason, certificate)


def _exhausted(session: Session, certificate: Certificate) -> bool:
    left = session.execute(sa.select(sa.func.sum(CertificateLine.quantity
                                                 - CertificateLine.shipped))
                           .where(CertificateLine.certificate_id == certificate.id)).scalar()
    return (left or 0) <= 0
