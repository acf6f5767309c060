"""Shipments from the customs lane's JSON: our own certificates through the one function the
API uses too (customs.service.record_shipment), a partner's certificate through the one the
federation API uses (federation.notices.ship_abroad), each once per Idempotency-Key; and the
trace page shows the crossings partners reported beside our own."""

from __future__ import annotations

import time

from sqlmodel import select

from broker_registry.customs import service as customs_service
from broker_registry.customs.models import RefusedShipment, Shipment
from broker_registry.customs.schemas import ShipmentLine
from broker_registry.federation.models import OutgoingNotice
from broker_registry.permissions import Role
from tests.certs.factories import DAY
from tests.conftest import csrf_token
from tests.federation.test_notices import COSE, _notice, _trust


def _lane(login, account):
    pages = login(account)
    token = csrf_token(pages.get("/customs/verify").get_data(as_text=True))
    return pages, {"X-CSRFToken": token}


def _ship(pages, headers, number, key, quantity=2, payload=None, queued=None):
    body = {"border_post": "Bridge", "lines": [{"line": 1, "quantity": quantity,
                                                "markings": ["SN-1"]}]}
    extra = {"Idempotency-Key": key, **({"X-Queued-At": queued} if queued else {})}
    return pages.post(f"/customs/certificates/{number}/shipments.json",
                      headers={**headers, **extra},
                      json={**body, **({"payload": payload} if payload else {})})


def test_one_key_is_one_shipment_whichever_route_sends_it(db, login, make_account, api_as,
                                                          certificate):
    officer = make_account(Role.CUSTOMS)
    api = api_as(officer)
    number = certificate["number"]
    by_api = api.post(f"/api/v1/certificates/{number}/shipments",
                      headers={"Idempotency-Key": "k-1"},
                      json={"border_post": "Bridge",
                            "lines": [{"line": 1, "quantity": 2, "markings": ["SN-1"]}]})
    assert by_api.status_code == 201, by_api.get_json()
    pages, headers = _lane(login, officer)
    by_lane = _ship(pages, headers, number, "k-1")
    assert by_lane.status_code == 201, by_lane.get_json()
    assert by_lane.get_json()["shipment_id"] == by_api.get_json()["shipment_id"]
    assert by_lane.get_json()["remaining"][0]["left"] == 198
    other = _ship(pages, headers, number, "k-1", quantity=3)
    assert other.status_code == 409 and "different request body" in other.get_json()["detail"]
    assert other.get_json()["flagged"] is False
    assert len(db.exec(select(Shipment)).all()) == 1


def test_the_shared_function_records_once_and_refuses_a_reused_key(db, certificate,
                                                                   make_account):
    officer = make_account(Role.CUSTOMS)
    lines = [ShipmentLine(line=1, quantity=5, markings=None)]
    first = customs_service.record_shipment(db, actor=officer, number=certificate["number"],
                                            border_post="Bridge", lines=lines,
                                            idempotency_key="same")
    again = customs_service.record_shipment(db, actor=officer, number=certificate["number"],
                                            border_post="Bridge", lines=lines,
                                            idempotency_key="same")
    assert again.id == first.id and first.lines == [{"line": 1, "quantity": 5}]
    try:
        customs_service.record_shipment(
            db, actor=officer, number=certificate["number"], border_post="Elsewhere",
            lines=lines, idempotency_key="same")
    except customs_service.KeyReused:
        db.rollback()
    else:
        raise AssertionError("a reused key with another body was recorded")
    assert len(db.exec(select(Shipment)).all()) == 1


def test_the_lane_records_a_partner_s_certificate_once_and_queues_its_notice(
        db, login, make_account, partner_keys, keys):
    _trust(db, partner_keys)
    payload = partner_keys.certificate(exp=int(time.time()) + 30 * DAY)
    pages, headers = _lane(login, make_account(Role.CUSTOMS))
    verdict = pages.post("/customs/verify.json", headers=headers, json={"payload": payload})
    body = verdict.get_json()
    assert (body["result"], body["certificate"]["issuer"]) == ("VALID", "PP-NCA")
    assert {"code": "issued_abroad", "params": {"authority": "PP-NCA",
                                                "name": "Authority PP-NCA"}} \
        in body["warning_codes"]
    number = body["certificate"]["number"]
    without = _ship(pages, headers, number, "a-0")  # not ours, and no code sent with it
    assert without.status_code == 404
    wrong = _ship(pages, headers, "EUC-OTHER-1", "a-0", payload=payload)
    assert wrong.status_code == 422 and wrong.get_json()["errors"][0]["field"] == "payload"
    first = _ship(pages, headers, number, "a-1", payload=payload)
    assert first.status_code == 201, first.get_json()
    assert (first.get_json()["issuer"], first.get_json()["remaining"]) == ("PP-NCA", None)
    again = _ship(pages, headers, number, "a-1", payload=payload,
                  queued="2026-12-05T10:00:00Z")  # the lane's queue, sent again
    assert again.status_code == 201
    assert again.get_json()["notice_id"] == first.get_json()["notice_id"]
    [row] = db.exec(select(OutgoingNotice)).all()
    assert (row.certificate_number, row.border_post, row.idempotency_key) == (
        number, "Bridge", "a-1")
    assert row.lines == [{"line": 1, "quantity": 2, "markings": ["SN-1"]}]
    reused = _ship(pages, headers, number, "a-1", quantity=3, payload=payload)
    assert reused.status_code == 409
    over = _ship(pages, headers, number, "a-2", quantity=10**6, payload=payload,
                 queued="2026-12-05T10:00:00Z")
    assert over.status_code == 422 and over.get_json()["flagged"] is False
    assert db.exec(select(RefusedShipment)).all() == []
    assert len(db.exec(select(OutgoingNotice)).all()) == 1


def test_the_federation_api_takes_an_idempotency_key_too(db, customs, partner_keys, keys):
    _trust(db, partner_keys)
    payload = partner_keys.certificate(exp=int(time.time()) + 30 * DAY)
    body = {"payload": payload, "border_post": "Bridge", "lines": [{"line": 1, "quantity": 1}]}
    first = customs.post("/api/v1/federation/shipments", json=body,
                         headers={"Idempotency-Key": "f-1"})
    again = customs.post("/api/v1/federation/shipments", json=body,
                         headers={"Idempotency-Key": "f-1"})
    assert first.status_code == again.status_code == 201, first.get_json()
    assert first.get_json()["notice_id"] == again.get_json()["notice_id"]
    assert len(db.exec(select(OutgoingNotice)).all()) == 1
    other = customs.post("/api/v1/federation/shipments", json={**body, "border_post": "Ford"},
                         headers={"Idempotency-Key": "f-1"})
    assert other.status_code == 409


def test_trace_shows_partner_crossings_beside_ours(client, db, login, certificate,
                                                   partner_keys, regulator, customs):
    _trust(db, partner_keys)
    shipped = customs.post(f"/api/v1/certificates/{certificate['number']}/shipments",
                           json={"border_post": "Aflao",
                                 "lines": [{"line": 1, "quantity": 1, "markings": ["SN-9"]}]})
    assert shipped.status_code == 201
    told = client.post("/api/v1/federation/notices",
                       data=_notice(partner_keys, certificate["qr_payload"]), headers=COSE)
    assert told.status_code == 201, told.get_json()
    page = login(regulator).get("/customs/trace?marking=SN-9").get_data(as_text=True)
    ours, theirs = page.index("Aflao"), page.index("reported by PP-NCA")
    assert ours < theirs and "Bridge" in page[theirs - 600:theirs]
    assert "Where partner authorities reported SN-9 crossing" in page
    alone = login(regulator).get("/customs/trace?marking=SN-0").get_data(as_text=True)
    assert "reported by" not in alone and "No shipment recorded this marking." in alone


def test_only_an_answer_that_changes_the_session_writes_its_cookie(login, make_account, keys):
    pages = login(make_account(Role.CUSTOMS))
    pages.get("/customs/verify")  # its form's CSRF token is made, and kept in the session, once
    # The page, its lists, its static files, the bundle: answers a page's background requests
    # get, arriving perhaps after it moved on, must never put back an older cookie.
    for path in ("/customs/verify", "/customs/trust.json", "/api/v1/trust-list",
                 "/static/customs/lane.js"):
        answer = pages.get(path)
        assert answer.status_code == 200 and "Set-Cookie" not in answer.headers, path
    signed_out = pages.post("/logout", data={"csrf_token": csrf_token(
        pages.get("/customs/verify").get_data(as_text=True))})
    assert "broker_registry_session=" in signed_out.headers.get("Set-Cookie", "")


def test_the_page_s_form_records_a_partner_s_certificate_without_javascript(
        db, login, make_account, partner_keys, keys):
    import re
    from urllib.parse import quote

    _trust(db, partner_keys)
    payload = partner_keys.certificate(exp=int(time.time()) + 30 * DAY)
    pages = login(make_account(Role.CUSTOMS))
    page = pages.get(f"/customs/verify?payload={quote(payload)}").get_data(as_text=True)
    number = read_number(payload)
    assert f"/customs/certificates/{number}/shipments" in page
    assert "Line 1 (1,200 licensed)" in page and 'name="quantity_1"' in page  # what it licenses

    def send(quantity, nonce):
        return pages.post(f"/customs/certificates/{number}/shipments", data={
            "csrf_token": csrf_token(page), "form_nonce": nonce, "payload": payload,
            "border_post": "Bridge", "quantity_1": str(quantity), "markings_1": "SN-7"})

    nonce = re.search(r'name="form_nonce" value="([^"]+)"', page).group(1)
    over = send(10**6, nonce)
    assert over.status_code == 422 and "Nothing was recorded" in over.get_data(as_text=True)
    assert db.exec(select(OutgoingNotice)).all() == []
    sent = send(2, nonce)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/customs/verify")
    again = send(2, nonce)  # the same form sent twice: one shipment, one notice
    assert again.status_code == 302
    [row] = db.exec(select(OutgoingNotice)).all()
    assert (row.certificate_number, row.border_post, row.lines) == (
        number, "Bridge", [{"line": 1, "quantity": 2, "markings": ["SN-7"]}])
    told = pages.get("/customs/verify").get_data(as_text=True)
    assert f"Shipment recorded against {number}. The registry of PP-NCA is told" in told


def read_number(payload: str) -> str:
    from certs.verify import read

    return read(payload).claims.content["number"]


def test_a_code_claiming_a_partner_but_not_signed_by_it_is_not_said_to_be_its(
        db, customs, partner_keys, keys):
    from tests.certs.federated import issuer

    _trust(db, partner_keys)
    forged = partner_keys.certificate(exp=int(time.time()) + 30 * DAY,
                                      signed_by=issuer("ZZ-NCA"))
    genuine = partner_keys.certificate(exp=int(time.time()) + 30 * DAY)
    answers = [customs.post("/api/v1/verify", json={"payload": text}).get_json()
               for text in (forged, genuine)]
    assert [(a["result"], "issued_abroad" in [w["code"] for w in a["warning_codes"]])
            for a in answers] == [("UNKNOWN_SIGNER", False), ("VALID", True)]
    assert "Issued by" not in " ".join(answers[0]["warnings"])
