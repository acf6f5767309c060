"""Factories for the certs tests: realistic content, an authority with two DSCs, issuing."""

import copy
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from certs import pki
from certs.euc import sign_certificate
from certs.trust_list import Signer, SignerStatus, TrustStore

NOW = 1_780_000_000  # 2026-05-28
DAY = 86_400
ISS = "XX-NCA"

REALISTIC_CONTENT = {
    "schema": 1,
    "number": "EUC-XX-2026-000137",
    "licence_number": "BL-XX-2026-0042",
    "authority": {"name": "National Control Authority", "country": "XX"},
    "broker": {
        "name": "Meridian Defence Brokerage Ltd",
        "registration_number": "BR-XX-0193",
        "country": "XX",
    },
    "supplier": {
        "name": "Nordwerk Präzisionstechnik GmbH",
        "address": "Industriestraße 41, 78532 Tuttlingen",
        "country": "DE",
    },
    "consignees": [
        {
            "name": "Xinshidai Import and Export Corporation",
            "address": "北京市海淀区复兴路甲1号 100036",
            "country": "CN",
        }
    ],
    "end_user": {
        "name": "Ministry of Public Security 公安部装备财务局",
        "address": "北京市朝阳区东长安街14号 100741",
        "country": "CN",
        "kind": "police",
    },
    "destination": "CN",
    "transit": ["SG"],
    "goods": [
        {"line": 1, "description": "NP-9 pistol, 9x19 mm, with two magazines",
         "category": "SALW-1", "quantity": 1200, "unit": "pcs", "value": "540000.00",
         "currency": "EUR"},
        {"line": 2, "description": "9x19 mm FMJ ammunition, 124 gr",
         "category": "AMMO", "quantity": 600000, "unit": "rds", "value": "162000.00",
         "currency": "EUR"},
        {"line": 3, "description": "Spare magazines, 15 rounds, for NP-9",
         "category": "PARTS", "quantity": 2400, "unit": "pcs", "value": "43200.00",
         "currency": "EUR"},
    ],
    "end_use": "Service sidearms for municipal police units.",
    "no_reexport": True,
    "dvc_required": True,
}


@dataclass
class Authority:
    root_key: ec.EllipticCurvePrivateKey
    root_cert: x509.Certificate
    dsc_key: ec.EllipticCurvePrivateKey
    dsc: x509.Certificate
    old_dsc_key: ec.EllipticCurvePrivateKey
    old_dsc: x509.Certificate

    def trust(self, *, old_status: str = "retired", dsc_status: str = "active") -> TrustStore:
        return TrustStore([
            Signer.from_certificate(self.dsc, SignerStatus(dsc_status)),
            Signer.from_certificate(self.old_dsc, SignerStatus(old_status)),
        ])


def make_authority() -> Authority:
    root_key = pki.generate_key()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    root = pki.make_root(
        root_key, common_name="XX-NCA Root", country="XX",
        organization="National Control Authority", not_before=start,
    )
    old_key, dsc_key = pki.generate_key(), pki.generate_key()
    old = pki.make_dsc(root_key, root, old_key.public_key(), common_name="XX-NCA DSC 1",
                       not_before=start)
    dsc = pki.make_dsc(root_key, root, dsc_key.public_key(), common_name="XX-NCA DSC 2",
                       not_before=start + timedelta(days=300))
    return Authority(root_key, root, dsc_key, dsc, old_key, old)


def issue(authority: Authority, content: dict | None = None, *, old: bool = False,
          nbf: int = NOW - DAY, exp: int = NOW + 180 * DAY, cti: bytes | None = None) -> str:
    """The QR text of a certificate signed by the current DSC (or the retired one)."""
    return sign_certificate(
        iss=ISS, iat=nbf, nbf=nbf, exp=exp, cti=cti or os.urandom(16),
        content=copy.deepcopy(content or REALISTIC_CONTENT),
        signer_key=authority.old_dsc_key if old else authority.dsc_key,
        signer_cert=authority.old_dsc if old else authority.dsc,
    )
