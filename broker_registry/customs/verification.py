"""Online verification: the offline routine of certs/, fed with what only the server knows.

It is the busiest request at a border, so it reads as little as it can, with SQL Core on the
request's reader connection (no session, no transaction): the trust store is held per worker,
and the certificate's state and goods lines come back in one query, which on the API also
checks the bearer token (principal_and_state): one round trip in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from certs import pki
from certs.reasons import Reason
from certs.revocation_list import Entry, EntryStatus, reason_of
from certs.trust_list import Signer, SignerStatus, TrustStore
from certs.verify import Result, Verification, verify

from ..accounts import service as accounts
from ..accounts.models import Account, ApiToken
from ..certificates.models import (
    Certificate,
    CertificateLine,
    CertificateStatus,
    effective_status,
)
from ..db.driver_sql import DriverQuery
from ..db.held import Versioned
from ..keys import service as keys
from ..keys.models import SignerKey
from ..permissions import Principal

_SIGNERS_VERSION = sa.select(sa.func.count(SignerKey.id), sa.func.max(SignerKey.updated_at))
_SIGNERS = sa.select(SignerKey.certificate_der, SignerKey.status)
_STATE_COLUMNS = (Certificate.id, Certificate.status, Certificate.status_reason,
                  Certificate.valid_until, Certificate.updated_at, Certificate.status_code,
                  CertificateLine.line_no, CertificateLine.quantity, CertificateLine.shipped)
_LINES = CertificateLine.certificate_id == Certificate.id
_STATE = DriverQuery(
    sa.select(*_STATE_COLUMNS).outerjoin(CertificateLine, _LINES)
    .where(Certificate.cti_hash == sa.bindparam("h")).order_by(CertificateLine.line_no))
# POST /api/v1/verify's one round trip: the bearer token's check (accounts.LIVE_TOKEN) and
# the certificate's state, in one query. A dead token gives no row; a live one at least one,
# its principal's id and role first, the state's columns null when there is no certificate.
PRINCIPAL_AND_STATE = DriverQuery(
    sa.select(Account.id, Account.role, *_STATE_COLUMNS)
    .select_from(sa.join(Account, ApiToken, ApiToken.account_id == Account.id)
                 .outerjoin(Certificate, Certificate.cti_hash == sa.bindparam("h"))
                 .outerjoin(CertificateLine, _LINES))
    .where(*accounts.LIVE_TOKEN).order_by(CertificateLine.line_no))


class ServerTrust(Versioned[sa.Connection, TrustStore]):
    """The trust store built from the signer table, rebuilt only when a signer changes.

    Each worker looks at the signer table at most once every `ttl` seconds: a key revoked
    by another process is refused within that time, one revoked in this process at once
    (keys.service.SIGNERS_CHANGED), and a kid not yet known is always looked up again (a
    rotation: invalidate).
    """

    def __init__(self, ttl: float = 1.0):
        super().__init__(lambda reader: tuple(reader.execute(_SIGNERS_VERSION).one()),
                         _trust_store, ttl=ttl, generation=keys.SIGNERS_CHANGED)

    store = Versioned.value


def _trust_store(reader: sa.Connection) -> TrustStore:
    return TrustStore([Signer.from_certificate(pki.load_certificate(der), SignerStatus(status))
                       for der, status in reader.execute(_SIGNERS)])


@dataclass(frozen=True)
class CertificateState:
    """What online verification needs of the registry's record, without its content."""

    id: int
    status: str
    status_reason: str | None
    valid_until: datetime
    updated_at: datetime
    status_code: int  # the revocation list's reason code for its status
    remaining: list[dict]  # per goods line: licensed, shipped, left

    @property
    def effective_status(self) -> CertificateStatus:
        return effective_status(self.status, self.valid_until)


def certificate_state(reader: sa.Connection, h: bytes) -> CertificateState | None:
    return state_from_rows(_STATE.rows(reader, {"h": h}))


def principal_and_state(reader: sa.Connection, token: str,
                        h: bytes) -> tuple[Principal | None, CertificateState | None]:
    """Who the bearer token speaks for, and the state of the certificate whose cti hash is
    `h`, in one query; (None, None) for a dead token."""
    params = accounts.token_params(token)
    rows = [] if params is None else PRINCIPAL_AND_STATE.rows(reader, {**params, "h": h})
    if not rows:
        return None, None
    return Principal(*rows[0][:2]), state_from_rows([row[2:] for row in rows])


def state_from_rows(rows: list[tuple]) -> CertificateState | None:
    """The state in rows of _STATE's columns (an outer join's nulls mean no certificate)."""
    if not rows or rows[0][0] is None:
        return None
    remaining = [{"line": line, "licensed": quantity, "shipped": shipped,
                  "left": quantity - shipped}
                 for *_, line, quantity, shipped in rows if line is not None]
    return CertificateState(*rows[0][:6], remaining)


class LiveRevocations:
    """Duck-types certs' RevocationState from the certificate table: always current.

    The certificate is read by its indexed cti hash once the signature has verified, unless
    it was read already with the token's check (`known`). Either way verify() asks for its
    status only after the signature verified, and only then does it become `certificate`:
    a forged code learns nothing of the registry's record.
    """

    sequence = 1  # never "no list held": the database is the list
    next_update = 0

    def __init__(self, reader: sa.Connection, known: tuple[bytes, CertificateState | None]
                 | None = None):
        self.reader = reader
        self.certificate: CertificateState | None = None  # set once status() is asked
        self._hash: bytes | None = None
        self._known = known  # (hash, state) read ahead, to be used only once asked

    def status(self, h: bytes) -> EntryStatus | None:
        if self._hash != h:
            if self._known is not None and self._known[0] == h:
                self.certificate = self._known[1]
            else:
                self.certificate = certificate_state(self.reader, h)
            self._hash = h
        c = self.certificate
        if c is None or c.status == CertificateStatus.VALID:
            return None
        return EntryStatus(c.status)

    def lookup(self, h: bytes) -> Entry | None:
        """The certificate's latest entry on the revocation list, so that its reason code
        reads as an offline verifier reads it. Asked only for a revoked or suspended one."""
        status = self.status(h)
        if status is None:
            return None
        c = self.certificate
        return Entry(h, status, reason_of(c.status_code), int(c.updated_at.timestamp()), 0)

    def signer_revoked(self, kid: bytes) -> bool:
        return False  # the trust store carries signer status online

    def stale_seconds(self, now: float) -> int:
        return 0


@dataclass(frozen=True)
class OnlineResult:
    verification: Verification
    result: Result
    why: Reason  # the reason code and its parameters
    certificate: CertificateState | None
    remaining: list[dict]  # per goods line (empty when the registry has no record)

    @property
    def reason(self) -> str:
        return self.why.sentence


_STATUS_REASON = sa.select(Certificate.status_reason_code, Certificate.status_reason_params) \
    .where(Certificate.id == sa.bindparam("id"))


def note_code(reader: sa.Connection, online: OnlineResult) -> dict:
    """When a revoked or suspended certificate's note is a reason the registry wrote itself,
    its code and parameters (note_code, note_params), for a page to say it in its reader's
    language; read apart from the one statement an API verification is, and only then."""
    if "note" not in online.why.params or online.certificate is None:
        return {}
    code, params = reader.execute(_STATUS_REASON, {"id": online.certificate.id}).one()
    return {} if code is None else {"note_code": code, "note_params": params or {}}


def verify_online(reader: sa.Connection, payload, trust: ServerTrust,
                  known: tuple[bytes, CertificateState | None] | None = None) -> OnlineResult:
    """payload is the QR text or its Reading; known, (cti hash, state) when the certificate
    was read already, together with the token's check."""
    live = LiveRevocations(reader, known)
    held = trust.fresh()
    checked = verify(payload, trust=trust.store(reader), revocations=live)
    if checked.result == Result.UNKNOWN_SIGNER and held:
        trust.invalidate()  # a signer created since this worker last looked
        checked = verify(payload, trust=trust.store(reader), revocations=live)
    certificate = live.certificate
    result, why = checked.result, checked.why
    if certificate is not None and why.code in ("revoked", "suspended") \
            and certificate.status_reason:
        why = Reason(why.code, {**why.params, "note": certificate.status_reason})
    remaining = [] if certificate is None else certificate.remaining
    if result == Result.VALID and certificate is not None \
            and sum(line["left"] for line in remaining) <= 0:
        result, why = Result.EXHAUSTED, Reason("exhausted")
    if result == Result.VALID and certificate is None:
        why = Reason("valid_unrecorded")
    return OnlineResult(checked, result, why, certificate, remaining)
