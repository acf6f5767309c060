"""Demonstration data: a signed end-user certificate under the demo's issued licence."""

from __future__ import annotations

from sqlmodel import Session, select

from certs.trust_list import Authority

from ..certificates import service
from ..certificates.schemas import LineRequest
from ..keys.service import ensure_keys
from ..keys.store import KeyStore
from ..licences.models import Licence, LicenceStatus
from ..settings import Settings


def load_certificate_demo(session: Session, settings: Settings, people: dict,
                          registered_broker) -> list[str]:
    store = KeyStore(settings.data_dir / "keys", settings.key_passphrase)
    authority = Authority(settings.authority_code, settings.authority_name,
                          settings.authority_country)
    ensure_keys(session, store, authority)
    licence = session.exec(select(Licence).where(Licence.broker_id == registered_broker.id,
                                                 Licence.status == LicenceStatus.ISSUED)).first()
    if licence is None:
        return []
    certificate = service.issue(session, actor=people["regulator1"], licence_id=licence.id,
                                lines=[LineRequest(line=1, quantity=50),
                                       LineRequest(line=2, quantity=20000)],
                                valid_until=None, authority=authority, store=store)
    return [f"certificate {certificate.number} issued under {licence.licence_number}; "
            f"its QR code: /certificates/{certificate.number}"]
