"""The lane page's own JSON: a verdict as the API's, shipments with an Idempotency-Key, and a
shipment queued offline (X-Queued-At) that is refused on arrival kept, once, and audited."""

from __future__ import annotations

from sqlmodel import select

from broker_registry.audit.service import history
from broker_registry.customs.models import RefusedShipment
from tests.conftest import csrf_token


def _lane(login, make_account):
    pages = login(make_account("customs"))
    token = csrf_token(pages.get("/customs/verify").get_data(as_text=True))
    return pages, {"X-CSRFToken": token}


def _ship(pages, headers, number, quantity, key, queued=None):
    extra = {"Idempotency-Key": key, **({"X-Queued-At": queued} if queued else {})}
    return pages.post(f"/customs/certificates/{number}/shipments.json", headers={
        **headers, **extra}, json={"border_post": "Aflao",
                                   "lines": [{"line": 1, "quantity": quantity}]})


def test_the_verdict_is_the_api_answer(login, make_account, certificate):
    pages, headers = _lane(login, make_account)
    answer = pages.post("/customs/verify.json", headers=headers,
                        json={"payload": certificate["qr_payload"]})
    body = answer.get_json()
    assert answer.status_code == 200 and body["result"] == "VALID"
    assert body["reason_code"] == "valid" and body["remaining"][0]["left"] == 200


def test_without_the_csrf_header_nothing_is_answered(login, make_account, certificate):
    pages, _ = _lane(login, make_account)
    answer = pages.post("/customs/verify.json", json={"payload": certificate["qr_payload"]})
    assert answer.status_code == 400
    assert answer.mimetype == "application/problem+json"


def test_a_refused_queued_shipment_is_flagged_once(db, login, make_account, certificate):
    pages, headers = _lane(login, make_account)
    number = certificate["number"]
    assert _ship(pages, headers, number, 170, "first").status_code == 201
    refused = _ship(pages, headers, number, 40, "queued-1", queued="2026-12-05T10:00:00Z")
    body = refused.get_json()
    assert refused.status_code == 409 and body["flagged"] is True
    assert body["lines"] == [{"index": 0, "line": 1, "asked": 40, "left": 30}]
    again = _ship(pages, headers, number, 40, "queued-1", queued="2026-12-05T10:00:00Z")
    assert again.status_code == 409 and again.get_json()["flagged"] is True
    flags = db.exec(select(RefusedShipment)).all()
    assert len(flags) == 1 and flags[0].border_post == "Aflao"
    assert flags[0].lines == [{"line": 1, "quantity": 40, "markings": None}]
    actions = [e.action for e in history(db, "certificate", number)]
    assert actions.count("shipment.refused_on_arrival") == 1


def test_a_refusal_at_once_is_not_flagged(db, login, make_account, certificate):
    pages, headers = _lane(login, make_account)
    refused = _ship(pages, headers, certificate["number"], 4000, "now")
    assert refused.status_code == 409 and refused.get_json()["flagged"] is False
    assert db.exec(select(RefusedShipment)).all() == []


def test_a_queued_time_that_is_not_one_is_a_422(login, make_account, certificate):
    pages, headers = _lane(login, make_account)
    refused = _ship(pages, headers, certificate["number"], 1, "k", queued="yesterday")
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "X-Queued-At"
