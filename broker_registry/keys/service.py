"""The authority's keys over time: create, rotate, revoke, and the public trust list."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from certs import pki
from certs.trust_list import Authority, SignerStatus, build_trust_list

from ..audit.models import AuditAction
from ..audit.reasons import Recorded
from ..audit.service import record
from ..db import lock_rows
from ..db.columns import utcnow
from ..db.held import Generation, Held
from ..errors import Conflict, NotConfigured, NotFound
from .models import SignerKey
from .store import KeyStore

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# A signer whose certificate has less than this left is replaced by the worker: a certificate
# signed after its DSC's notAfter would be refused everywhere (docs/spec/euc-qr.md section 7).
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class ActiveSigner:
    id: int
    kid: bytes
    certificate: object
    private_key: object


# Bumped by every change of a signer this process makes: a trust store held in this process
# (customs.verification.ServerTrust) is built afresh at once; other processes within its ttl.
SIGNERS_CHANGED = Generation()
_active_signer: Held[ActiveSigner] = Held()  # the latest, its key decrypted


def ensure_keys(session: Session, store: KeyStore, authority: Authority, actor=None) -> list[str]:
    """Create the root and a first signer when there are none (what `init` does)."""
    done = []
    if not store.has_root():
        # X.509 names are at most 64 characters: the short code names the keys.
        store.create_root(common_name=f"{authority.code} Root CA", country=authority.country,
                          organization=authority.name[:64])
        done.append(f"created the root key and certificate in {store.directory}")
    if _active(session) is None:
        signer = _new_signer(session, store, authority, actor, reason=Recorded("first_signer"))
        done.append(f"created signer key {signer.kid}")
    return done


def _active(session: Session, *, lock: bool = False) -> SignerKey | None:
    statement = select(SignerKey).where(SignerKey.status == SignerStatus.ACTIVE)
    if lock:
        statement = lock_rows(statement)
    return session.exec(statement.order_by(SignerKey.id.desc())).first()


def _new_signer(session, store: KeyStore, authority: Authority, actor,
                reason: Recorded) -> SignerKey:
    cert, key_file = store.new_signer(f"{authority.code} Document Signer {utcnow():%Y-%m-%d}")
    signer = SignerKey(kid=pki.kid(cert).hex(), certificate_der=pki.certificate_der(cert),
                       key_file=key_file)
    session.add(signer)
    session.flush()
    SIGNERS_CHANGED.bump()
    record(session, actor=actor, action=AuditAction.SIGNER_CREATED, subject_type="signer",
           subject_id=signer.kid, reason=reason, after={"status": signer.status})
    return signer


def rotate(session: Session, store: KeyStore, authority: Authority, actor=None, *,
           reason: Recorded | None = None) -> SignerKey:
    """A new signer takes over; the old one retires and what it signed stays valid."""
    old = _active(session, lock=True)
    if old is not None:
        old.status = SignerStatus.RETIRED
        old.updated_at = utcnow()
        session.add(old)
        record(session, actor=actor, action=AuditAction.SIGNER_RETIRED, subject_type="signer",
               subject_id=old.kid, reason=Recorded("rotated"), before={"status": "active"},
               after={"status": "retired"})
    return _new_signer(session, store, authority, actor, reason=reason or Recorded("rotation"))


def revoke(session: Session, *, kid_hex: str, reason: str, actor=None) -> list[SignerKey]:
    """Key compromise, the keys' own part: the signer keys with this kid marked revoked.
    What it reaches (the certificates they signed, the revocation list) and the key that
    replaces an active one are sanctions.service.revoke_signer's."""
    signers = list(session.exec(lock_rows(select(SignerKey).where(SignerKey.kid == kid_hex))))
    if not signers:
        raise NotFound(_l("No signer key with kid %(kid)s.", kid=kid_hex))
    live = [s for s in signers if s.status != SignerStatus.REVOKED]
    if not live:
        raise Conflict(_l("Signer key %(kid)s is already revoked.", kid=kid_hex))
    SIGNERS_CHANGED.bump()
    for signer in live:
        before = signer.status
        signer.status, signer.revoked_reason, signer.updated_at = "revoked", reason, utcnow()
        session.add(signer)
        record(session, actor=actor, action=AuditAction.SIGNER_REVOKED, subject_type="signer",
               subject_id=signer.kid, reason=reason, before={"status": before},
               after={"status": "revoked"})
    return live


def replace_revoked(session: Session, store: KeyStore, authority: Authority,
                    actor=None) -> SignerKey | None:
    """A new signer when the revoked key was the one signing (none is active now), so that
    certificates go on being issued."""
    if _active(session) is not None:
        return None
    return _new_signer(session, store, authority, actor, reason=Recorded("replaces_revoked"))


def active_signer(session: Session, store: KeyStore) -> ActiveSigner:
    """The signer that signs now, its decrypted key cached per process until it changes."""
    row = _active(session)
    if row is None:
        raise NotConfigured(_l("The authority has no active signer key yet: an operator must "
                               "run `broker-registry init`."))

    def read() -> ActiveSigner:
        cert = pki.load_certificate(row.certificate_der)
        return ActiveSigner(row.id, pki.kid(cert), cert, store.signer_key(row.key_file))

    held = _active_signer.fetch(f"{store.directory}:{row.id}:{row.kid}:{row.key_file}", read,
                                alone=True)
    now = datetime.now(UTC)
    certificate = held.certificate
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise NotConfigured(_l(
            "The active signer key %(kid)s is valid only from %(start)s to %(end)s: what it "
            "signed now would be refused. An operator must run `broker-registry keys rotate`.",
            kid=row.kid, start=f"{certificate.not_valid_before_utc:%Y-%m-%d %H:%M}",
            end=f"{certificate.not_valid_after_utc:%Y-%m-%d %H:%M}"))
    return held


def rotate_if_expiring(session: Session, store: KeyStore, authority: Authority, *,
                       now: datetime) -> SignerKey | None:
    """Rotate when the active signer's certificate ends within RENEW_BEFORE of now (or has
    ended); the new signer, or None when nothing was due."""
    row = _active(session, lock=True)
    if row is None:
        return None
    ends = pki.load_certificate(row.certificate_der).not_valid_after_utc
    if ends - now > RENEW_BEFORE:
        return None
    return rotate(session, store, authority,
                  reason=Recorded("signer_ending", {"ends": f"{ends:%Y-%m-%d %H:%M}"}))


def open_active_key(session: Session, store: KeyStore) -> None:
    """Open the active signer's key file (never the cache): raises when it cannot be read."""
    row = _active(session)
    if row is None:
        raise NotConfigured(_l("The authority has no active signer key yet: an operator must "
                               "run `broker-registry init`."))
    store.signer_key(row.key_file)


def all_signers(session: Session) -> list[SignerKey]:
    return list(session.exec(select(SignerKey).order_by(SignerKey.id)))


def trust_list(session: Session, store: KeyStore, authority: Authority) -> tuple[bytes, str]:
    """The trust list as JSON bytes and its ETag; stable until a signer changes."""
    if not store.has_root():
        raise NotConfigured(_l("The authority has no keys yet: an operator must run "
                               "`broker-registry init`."))
    signers = all_signers(session)
    issued_at = max((s.updated_at for s in signers), default=EPOCH)
    document = build_trust_list(
        authority=authority, root_cert=store.root_certificate(),
        signers=[(pki.load_certificate(s.certificate_der), s.status) for s in signers],
        issued_at=issued_at)
    body = json.dumps(document, separators=(",", ":")).encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
