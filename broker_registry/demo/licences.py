"""Demonstration data for licences: the sample UN list, an issued licence, one in the queue."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources

from sqlmodel import Session

from ..db.columns import utcnow
from ..licences import service, workflow
from ..licences.schemas import LicenceApplication
from ..screening import service as screening
from ..settings import Settings

DEAL = {
    "supplier": {"name": "Fabbrica d'Armi Esempio S.p.A.", "address": "Via Roma 1\n25121 Brescia",
                 "country": "IT"},
    "consignee": {"name": "Ghana Armed Forces Logistics Command",
                  "address": "Burma Camp, Accra", "country": "GH"},
    "end_user": {"name": "Ghana Armed Forces", "address": "Burma Camp, Accra", "country": "GH",
                 "kind": "armed_forces"},
    "transit_countries": ["FR"],
    "goods": [{"description": "Semi-automatic pistols, 9 mm", "category": "SALW-1",
               "quantity": 200, "unit": "piece", "unit_value": "450.00", "currency": "EUR"},
              {"description": "9 mm cartridges", "category": "AMMO", "quantity": 100000,
               "unit": "round"}],
    "end_use": "Sidearms for military police units.",
    "transport": "Air cargo, Milan to Accra.", "financing": "Letter of credit.",
}


def load_licence_demo(session: Session, settings: Settings, people: dict,
                      registered_broker) -> list[str]:
    sample = resources.files("broker_registry.screening").joinpath("data/un_sample.xml")
    parties = screening.import_un_list(session, actor=people["admin"],
                                       data=sample.read_bytes(), filename="un_sample.xml")
    valid_until = (utcnow() + timedelta(days=365)).date().isoformat()
    application = LicenceApplication.model_validate(
        {**DEAL, "broker_id": registered_broker.id, "valid_until": valid_until})
    threshold = settings.screening_threshold
    issued = service.apply(session, owner=people["broker"], application=application,
                           threshold=threshold)
    for regulator in ("regulator1", "regulator2"):
        workflow.decide(session, actor=people[regulator], licence_id=issued.id,
                        decision="approve", reason="End-user statement verified.",
                        acknowledge=False, settings=settings)
    flagged = {**DEAL, "end_user": {**DEAL["end_user"], "name": "Виктор Орлов",
                                    "kind": "commercial"}}
    service.apply(session, owner=people["broker"], threshold=threshold,
                  application=LicenceApplication.model_validate(
                      {**flagged, "broker_id": registered_broker.id,
                       "valid_until": valid_until}))
    return [f"sample UN list loaded ({parties} parties); licence {issued.licence_number} "
            "issued, one application with a denied-party finding in the queue"]
