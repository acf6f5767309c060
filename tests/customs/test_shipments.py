from sqlmodel import select

from broker_registry.audit.service import history
from broker_registry.customs.models import Delivery, Shipment
from broker_registry.db.columns import rfc3339, utcnow


def _ship(api, number, lines, key=None, post="Aflao border post"):
    headers = {"Idempotency-Key": key} if key else {}
    return api.post(f"/api/v1/certificates/{number}/shipments",
                    json={"border_post": post, "lines": lines}, headers=headers)


def test_a_shipment_draws_the_quantities_down(certificate, customs):
    number = certificate["number"]
    response = _ship(customs, number, [{"line": 1, "quantity": 120,
                                        "markings": ["PX-0001", "PX-0002"]}])
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/v1/certificates/{number}"
    assert response.get_json()["remaining"][0] == {"line": 1, "licensed": 200, "shipped": 120,
                                                   "left": 80}
    over = _ship(customs, number, [{"line": 1, "quantity": 81}])
    assert over.status_code == 409 and "81 asked, 80 left" in over.get_json()["detail"]
    assert customs.get(f"/api/v1/certificates/{number}").get_json()["remaining"][0]["left"] == 80


def test_a_fully_shipped_certificate_is_exhausted(certificate, customs):
    number = certificate["number"]
    assert _ship(customs, number, [{"line": 1, "quantity": 200},
                                   {"line": 2, "quantity": 100000}]).status_code == 201
    answer = customs.post("/api/v1/verify", json={"payload": certificate["qr_payload"]})
    assert answer.get_json()["result"] == "EXHAUSTED"
    assert _ship(customs, number, [{"line": 1, "quantity": 1}]).status_code == 409


def test_the_idempotency_key_makes_a_retry_safe(certificate, customs, db):
    number = certificate["number"]
    first = _ship(customs, number, [{"line": 1, "quantity": 10}], key="truck-17-try")
    retry = _ship(customs, number, [{"line": 1, "quantity": 10}], key="truck-17-try")
    assert first.status_code == retry.status_code == 201
    assert retry.get_json()["shipment_id"] == first.get_json()["shipment_id"]
    assert retry.get_json()["remaining"][0]["shipped"] == 10
    other_body = _ship(customs, number, [{"line": 1, "quantity": 11}], key="truck-17-try")
    assert other_body.status_code == 409
    assert len(db.exec(select(Shipment)).all()) == 1


def test_nothing_ships_against_a_revoked_certificate(certificate, customs, regulators):
    regulators[0].post(f"/api/v1/certificates/{certificate['number']}/revoke",
                       json={"reason": "Stolen"})
    response = _ship(customs, certificate["number"], [{"line": 1, "quantity": 1}])
    assert response.status_code == 409 and "revoked" in response.get_json()["detail"]


def test_bad_shipments(certificate, customs, broker_api, regulators):
    number = certificate["number"]
    for lines, field in (([{"line": 3, "quantity": 1}], "lines.0.line"),
                         ([{"line": 1, "quantity": 0}], "lines.0.quantity"),
                         ([], "lines"),
                         ([{"line": 1, "quantity": 1, "markings": ["A", "B"]}],
                          "lines.0.markings")):
        response = _ship(customs, number, lines)
        assert response.status_code == 422, lines
        assert field in [e["field"] for e in response.get_json()["errors"]]
    assert _ship(customs, "EUC-XX-1999-000001", [{"line": 1, "quantity": 1}]).status_code == 404
    assert _ship(broker_api, number, [{"line": 1, "quantity": 1}]).status_code == 403
    assert _ship(regulators[0], number, [{"line": 1, "quantity": 1}]).status_code == 403
    assert customs.get(f"/api/v1/certificates/{number}").get_json()["remaining"][0]["shipped"] \
        == 0


def test_delivery_and_tracing(certificate, customs, regulators):
    number = certificate["number"]
    too_soon = customs.post(f"/api/v1/certificates/{number}/delivery", json={
        "received_at": "2026-01-01T10:00:00Z", "lines": [{"line": 1, "quantity": 5}]})
    assert too_soon.status_code == 409
    _ship(customs, number, [{"line": 1, "quantity": 5,
                             "markings": ["GH-PX-77", "GH-PX-78"]}])
    received = rfc3339(utcnow().replace(microsecond=0))
    delivered = customs.post(f"/api/v1/certificates/{number}/delivery", json={
        "received_at": received, "lines": [{"line": 1, "quantity": 5}],
        "remarks": "Received intact at Burma Camp"})
    assert delivered.status_code == 201
    assert delivered.get_json()["received_at"] == received
    again = customs.post(f"/api/v1/certificates/{number}/delivery", json={
        "received_at": received, "lines": [{"line": 1, "quantity": 5}]})
    assert again.status_code == 409
    found = regulators[0].get("/api/v1/markings/GH-PX-78").get_json()["items"]
    assert [(f["certificate"], f["licence"], f["border_post"]) for f in found] == [
        (number, certificate["content"]["licence_number"], "Aflao border post")]
    assert found[0]["broker_registration"].startswith("BR-XX-")
    assert regulators[0].get("/api/v1/markings/UNKNOWN-1").get_json()["items"] == []


def test_dates_out_of_any_range_are_a_422_not_a_crash(certificate, customs, licence, regulators):
    far = "0001-01-01T00:00:00+14:00"  # before the first instant Python can hold in UTC
    issue = regulators[0].post(f"/api/v1/licences/{licence['id']}/certificates",
                               json={"valid_until": far})
    assert issue.status_code == 422 and issue.get_json()["errors"][0]["field"] == "valid_until"
    for bad in (far, "2026-13-01T00:00:00Z", "2026-01-01T00:00:00", 20260101):
        delivery = customs.post(f"/api/v1/certificates/{certificate['number']}/delivery",
                                json={"received_at": bad, "lines": [{"line": 1, "quantity": 1}]})
        assert delivery.status_code in (409, 422), bad
        if delivery.status_code == 422:
            assert delivery.get_json()["errors"][0]["field"] == "received_at"


def test_a_delivery_cannot_confirm_what_never_shipped(certificate, customs, db):
    number = certificate["number"]
    _ship(customs, number, [{"line": 1, "quantity": 5}])
    url = f"/api/v1/certificates/{number}/delivery"
    now = rfc3339(utcnow())
    for body, field, words in (
            ({"received_at": now, "lines": [{"line": 1, "quantity": 6}]},
             "lines.0.quantity", "6 received, but only 5 shipped"),
            ({"received_at": now, "lines": [{"line": 2, "quantity": 1}]},
             "lines.0.quantity", "1 received, but only 0 shipped"),
            ({"received_at": now, "lines": [{"line": 1, "quantity": 3},
                                            {"line": 1, "quantity": 2}]},
             "lines.1.line", "each line once"),
            ({"received_at": "2020-01-01T00:00:00Z", "lines": [{"line": 1, "quantity": 5}]},
             "received_at", "is before the certificate was issued")):
        refused = customs.post(url, json=body)
        assert refused.status_code == 422, body
        assert refused.content_type == "application/problem+json"
        assert {"field": field, "message": words} in [
            {"field": e["field"], "message": e["message"]} for e in refused.get_json()["errors"]]
    assert db.exec(select(Delivery)).all() == []
    assert [e.action for e in history(db, "certificate", number)][-1] == "shipment.recorded"
    short = customs.post(url, json={"received_at": now, "lines": [{"line": 1, "quantity": 4}]})
    assert short.status_code == 201


def test_an_idempotency_key_too_long_to_keep_is_refused_not_cut(certificate, customs, db):
    number = certificate["number"]
    stem = "k" * 200
    assert _ship(customs, number, [{"line": 1, "quantity": 1}], key=stem).status_code == 201
    longer = _ship(customs, number, [{"line": 1, "quantity": 1}], key=stem + "-second-truck")
    assert longer.status_code == 422
    assert longer.get_json()["errors"][0]["field"] == "Idempotency-Key"
    assert "at most 200 characters" in longer.get_json()["errors"][0]["message"]
    nul = _ship(customs, number, [{"line": 1, "quantity": 1}], key="truck\x00-7")
    assert nul.status_code == 422
    assert nul.get_json()["errors"][0]["message"] == "contains a control character"
    assert len(db.exec(select(Shipment)).all()) == 1


def test_retries_racing_the_first_send_get_its_shipment(isolated_app, live_server):
    """Four sends of one keyed request at once, over real HTTP and commits, each drawing all
    that is left: the key is looked up under the certificate's lock, so the ones that waited
    get the first's shipment instead of "exhausted"."""
    import threading

    import requests

    from tests.customs.live import certificate_on

    certificate, tokens, _ = certificate_on(isolated_app, quantity=100)
    url = f"{live_server.url}/api/v1/certificates/{certificate['number']}/shipments"
    headers = {"Authorization": f"Bearer {tokens['officer']}", "Idempotency-Key": "truck-9"}
    body = {"border_post": "Aflao", "lines": [{"line": 1, "quantity": 100}]}
    start, answers = threading.Barrier(4), []

    def send():
        start.wait()
        answers.append(requests.post(url, json=body, headers=headers, timeout=30))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
    assert len({a.json()["shipment_id"] for a in answers}) == 1
    assert answers[0].json()["remaining"][0]["left"] == 0
