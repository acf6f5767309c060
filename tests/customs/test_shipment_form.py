"""The shipment form names the field at fault: a marking's error is on the markings box."""

from __future__ import annotations

from sqlmodel import select

from broker_registry.customs.models import Shipment
from tests.conftest import csrf_token


def test_a_marking_too_long_is_an_error_of_the_markings_not_the_quantity(db, login,
                                                                         make_account,
                                                                         certificate):
    pages = login(make_account("customs"))
    html = pages.get("/customs/verify", query_string={"payload": certificate["qr_payload"]})
    too_long = "PX-" + "9" * 98
    refused = pages.post(f"/customs/certificates/{certificate['number']}/shipments", data={
        "csrf_token": csrf_token(html.get_data(as_text=True)),
        "payload": certificate["qr_payload"], "border_post": "Aflao", "quantity_1": "2",
        "markings_1": f"PX-1\n{too_long}"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert ('<a href="#markings_1">Markings of line 1: must have at most 100 characters</a>'
            in page)
    assert '<p class="error" id="markings_1-error">must have at most 100 characters</p>' in page
    assert 'id="quantity_1-error"' not in page and "Quantity of line 1" not in page
    assert f"PX-1\n{too_long}</textarea>" in page and 'value="2"' in page
    assert db.exec(select(Shipment)).all() == []


def test_a_recorded_shipment_leads_to_the_certificate_by_its_number(login, make_account,
                                                                    certificate):
    """Not back to the verify page with the whole code in its address, where access logs and
    the browser's history would keep it."""
    pages = login(make_account("customs"))
    payload, number = certificate["qr_payload"], certificate["number"]
    html = pages.post("/customs/verify", data={
        "csrf_token": csrf_token(pages.get("/customs/verify").get_data(as_text=True)),
        "payload": payload}).get_data(as_text=True)
    recorded = pages.post(f"/customs/certificates/{number}/shipments", data={
        "csrf_token": csrf_token(html), "payload": payload, "border_post": "Aflao",
        "quantity_1": "2"})
    assert recorded.status_code == 302
    location = recorded.headers["Location"]
    assert location == f"/certificates/{number}"
    assert payload[5:40] not in location
    page = pages.get(location).get_data(as_text=True)
    assert f"Shipment recorded against {number}." in page and "Aflao" in page
