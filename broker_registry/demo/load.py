"""Demonstration data: one of each role, a registered broker and a pending one, then the
licences and the certificate (licences.py, certificates.py)."""

from __future__ import annotations

import secrets

from sqlmodel import Session

from ..accounts import service as accounts
from ..brokers import service as brokers
from ..brokers.schemas import BrokerApplication
from ..permissions import Role
from ..settings import Settings
from .certificates import load_certificate_demo
from .licences import load_licence_demo

DEMO_DOMAIN = "demo.broker-registry.example"

PEOPLE = [
    ("admin", Role.ADMIN, "Ada Admin"),
    ("regulator1", Role.REGULATOR, "Rana Regulator"),
    ("regulator2", Role.REGULATOR, "王立 (Wang Li)"),
    ("customs", Role.CUSTOMS, "Carlos Customs"),
    ("broker", Role.BROKER, "Nordlicht Brokerage"),
    ("pending", Role.BROKER, "Horizon Logistics"),
]

REGISTERED = {
    "legal_name": "Nordlicht Handelsvermittlung GmbH", "kind": "company", "country": "DE",
    "company_number": "HRB 123456", "address": "Mühlenstraße 12\n20095 Hamburg",
    "email": "compliance@nordlicht.example", "activities": ["brokering", "transport"],
    "beneficial_owners": [{"name": "Jürgen Köhler", "nationality": "DE"}],
    "convictions_declared": False,
}
PENDING = {
    "legal_name": "远景物流有限公司 (Horizon Logistics Co., Ltd.)", "kind": "company",
    "country": "CN", "company_number": "91310000MA1FL0XX0X",
    "address": "上海市浦东新区世纪大道100号", "email": "trade@horizon.example",
    "activities": ["brokering", "financing"],
    "beneficial_owners": [{"name": "李明", "nationality": "CN"}],
    "convictions_declared": False,
}


def load_demo(session: Session, settings: Settings) -> list[str]:
    if accounts.find_by_email(session, f"admin@{DEMO_DOMAIN}") is not None:
        return ["demonstration data already loaded; passwords were printed the first time"]
    lines, people = ["demonstration accounts (passwords shown once):"], {}
    for name, role, display in PEOPLE:
        password = secrets.token_urlsafe(12)
        email = f"{name}@{DEMO_DOMAIN}"
        people[name] = accounts.create_account(session, email=email, password=password,
                                               display_name=display, role=role)
        lines.append(f"  {role:<10} {email:<42} {password}")
    registered = brokers.apply(session, owner=people["broker"],
                               application=BrokerApplication.model_validate(REGISTERED))
    brokers.decide(session, actor=people["regulator1"], broker_id=registered.id,
                   decision="approve", reason="Documents complete; no convictions.",
                   years=settings.registration_years, country=settings.authority_country)
    brokers.apply(session, owner=people["pending"],
                  application=BrokerApplication.model_validate(PENDING))
    lines.extend(load_licence_demo(session, settings, people, registered))
    lines.extend(load_certificate_demo(session, settings, people, registered))
    session.commit()
    return lines
