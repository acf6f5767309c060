"""A marking (serial number) is one item: twice in a shipment is refused; one that already
crossed under another certificate is recorded with a warning to the officer and a flag for
the regulator, and the trace page shows it."""

from __future__ import annotations

from sqlmodel import select

from broker_registry.customs.models import Marking, Shipment
from tests.conftest import csrf_token
from tests.records import issue_certificate


def _ship(api, number, lines):
    return api.post(f"/api/v1/certificates/{number}/shipments",
                    json={"border_post": "Aflao border post", "lines": lines})


def test_a_marking_twice_in_a_shipment_is_refused(db, certificate, customs):
    number = certificate["number"]
    within = _ship(customs, number, [{"line": 1, "quantity": 3,
                                      "markings": ["PX-1", "PX-2", "PX-1"]}])
    assert within.status_code == 422
    assert within.content_type == "application/problem+json"
    [error] = within.get_json()["errors"]
    assert error["field"] == "lines.0.markings" and "PX-1" in error["message"]
    across = _ship(customs, number, [{"line": 1, "quantity": 1, "markings": ["PX-9"]},
                                     {"line": 2, "quantity": 1, "markings": ["PX-9"]}])
    assert across.status_code == 422
    assert [e["field"] for e in across.get_json()["errors"]] == ["lines.1.markings"]
    assert db.exec(select(Shipment)).all() == [] and db.exec(select(Marking)).all() == []


def test_a_marking_twice_on_the_form_is_an_error_on_its_box(db, login, make_account,
                                                            certificate):
    pages = login(make_account("customs"))
    html = pages.get("/customs/verify", query_string={"payload": certificate["qr_payload"]})
    refused = pages.post(f"/customs/certificates/{certificate['number']}/shipments", data={
        "csrf_token": csrf_token(html.get_data(as_text=True)),
        "payload": certificate["qr_payload"], "border_post": "Aflao", "quantity_1": "2",
        "markings_1": "PX-1, PX-1"})
    assert refused.status_code == 422
    assert 'id="markings_1-error"' in refused.text and "PX-1" in refused.text
    assert db.exec(select(Shipment)).all() == []


def two_certificates(licence, regulators):
    one = issue_certificate(regulators[0], licence["id"],
                            {"lines": [{"line": 1, "quantity": 50}]})
    two = issue_certificate(regulators[0], licence["id"],
                            {"lines": [{"line": 1, "quantity": 50}]})
    return one["number"], two["number"]


def test_a_marking_that_crossed_under_another_certificate_is_flagged(
        db, licence, regulators, customs, login, make_account):
    one, two = two_certificates(licence, regulators)
    assert _ship(customs, one, [{"line": 1, "quantity": 2, "markings": ["SN-7", "SN-8"]}]) \
        .get_json()["warnings"] == []
    again = _ship(customs, two, [{"line": 1, "quantity": 2, "markings": ["SN-7", "SN-9"]}])
    assert again.status_code == 201  # recorded: the goods are at the border; the regulator acts
    assert again.get_json()["warnings"] == [
        {"code": "marking_crossed_before", "marking": "SN-7", "line": 1,
         "certificates": [one]}]
    flags = {m.marking: m.crossed_before for m in db.exec(select(Marking))
             if m.marking != "SN-8"}
    assert flags == {"SN-7": True, "SN-9": False}
    traced = regulators[0].get("/api/v1/markings/SN-7").get_json()["items"]
    assert [(t["certificate"], t["crossed_before"]) for t in traced] == [(one, False),
                                                                          (two, True)]
    page = login(make_account("regulator")).get("/customs/trace?marking=SN-7").text
    assert "already crossed under another certificate" in page
    certificate_page = login(make_account("regulator")).get(f"/certificates/{two}").text
    assert "SN-7" in certificate_page and "crossed before under" in certificate_page


def test_the_officer_is_warned_on_the_page(db, licence, regulators, login, make_account,
                                           customs):
    one, two = two_certificates(licence, regulators)
    _ship(customs, one, [{"line": 1, "quantity": 1, "markings": ["SN-7"]}])
    pages = login(make_account("customs"))
    payload = regulators[0].get(f"/api/v1/certificates/{two}").get_json()["qr_payload"]
    html = pages.get("/customs/verify", query_string={"payload": payload}).text
    recorded = pages.post(f"/customs/certificates/{two}/shipments", data={
        "csrf_token": csrf_token(html), "payload": payload, "border_post": "Aflao",
        "quantity_1": "1", "markings_1": "SN-7"}, follow_redirects=True)
    assert recorded.status_code == 200
    assert f"Marking SN-7 already crossed under {one}" in recorded.text

