"""Authorities for the federation tests, made in memory: each its own root, signers, trust
list, certificates claiming any iss, and signed revocation lists."""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime

from certs import pki
from certs.euc import sign_certificate
from certs.revocation_list import Entry, EntryStatus, cti_hash, revocation_payload
from certs.revocation_list import sign_revocation_list as sign_list
from certs.trust_list import Authority, build_trust_list
from certs.verify import read
from tests.certs.factories import DAY, NOW, REALISTIC_CONTENT, make_authority


@dataclass
class Issuer:
    code: str
    keys: object  # tests.certs.factories.Authority

    @property
    def root_der(self) -> bytes:
        return pki.certificate_der(self.keys.root_cert)

    def trust_list(self) -> bytes:
        document = build_trust_list(
            authority=Authority(self.code, f"Authority {self.code}", self.code[:2]),
            root_cert=self.keys.root_cert, signers=[(self.keys.dsc, "active")],
            issued_at=datetime.fromtimestamp(NOW - DAY, UTC))
        return json.dumps(document).encode()

    def certificate(self, *, iss: str | None = None, signed_by: Issuer | None = None,
                    exp: int = NOW + 180 * DAY) -> str:
        signer = (signed_by or self).keys
        return sign_certificate(iss=iss or self.code, iat=NOW - DAY, nbf=NOW - DAY,
                                exp=exp, cti=os.urandom(16),
                                content=copy.deepcopy(REALISTIC_CONTENT),
                                signer_key=signer.dsc_key, signer_cert=signer.dsc)

    def revocations(self, *, revoked: tuple[str, ...] = (), sequence: int = 1,
                    signed_by: Issuer | None = None) -> bytes:
        entries = [Entry(cti_hash(read(text).claims.cti), EntryStatus.REVOKED, 8, NOW - 60, 1)
                   for text in revoked]
        payload = revocation_payload(authority=self.code, sequence=sequence, base=0,
                                     issued_at=NOW - 60, next_update=NOW + 3540,
                                     entries=entries, revoked_signers=[])
        signer = (signed_by or self).keys
        return sign_list(payload, signer_key=signer.dsc_key, signer_cert=signer.dsc)


def issuer(code: str) -> Issuer:
    return Issuer(code, make_authority())
