"""Numbers typed by hand: "²" and "٣" pass `str.isdigit`, and a 5,000-digit number is
longer than `int` reads. Each is a 422 or a form error naming the field, never a 500.

Found by a review sweep: every one of these answered 500 before.
"""

from __future__ import annotations

import base64

import pytest
from sqlmodel import select

from broker_registry.customs.models import Shipment
from broker_registry.licences.models import Licence
from tests.conftest import csrf_token
from tests.licences.test_pages import form_for, post_form, sign_in

NOT_NUMBERS = ["²", "١٢", "9" * 5000, "-1", "1.0", " 7"]


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_query_numbers_are_refused_by_name(api_as, typed):
    regulator = api_as("regulator")
    cursor = base64.urlsafe_b64encode(typed.encode()).decode()
    for path, field in ((f"/api/v1/licences?limit={typed}", "limit"),
                        (f"/api/v1/brokers?cursor={cursor}", "cursor"),
                        (f"/api/v1/licences?broker_id={typed}", "broker_id"),
                        (f"/api/v1/revocations?since={typed}", "since")):
        response = regulator.get(path)
        assert response.status_code == 422, (path, response.status_code)
        assert response.content_type == "application/problem+json"
        assert response.get_json()["errors"][0]["field"] == field


@pytest.mark.parametrize("typed", ["²", "9" * 5000])
def test_a_report_year_that_is_not_a_year_shows_the_list_of_years(login, make_account, typed):
    pages = login(make_account("regulator"))
    response = pages.get("/regulator/reports", query_string={"year": typed})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<form" in page and "There is no national report for" in page


@pytest.mark.parametrize("typed", ["²", "9" * 5000])
def test_form_quantities_that_are_not_numbers_are_form_errors(app, db, register_broker, typed):
    owner, broker = register_broker()
    pages = sign_in(app, owner)
    response = post_form(pages, "/licences/apply",
                         form_for(broker.id, goods_quantity=[typed, "5000", ""],
                                  action="submit"))
    assert response.status_code == 422
    assert 'id="goods_quantity_0-error"' in response.get_data(as_text=True)
    assert db.exec(select(Licence)).all() == []


@pytest.mark.parametrize("typed", ["²", "9" * 5000])
def test_a_shipment_form_quantity_that_is_not_a_number_is_a_form_error(db, login, certificate,
                                                                       make_account, typed):
    pages = login(make_account("customs"))
    url = f"/customs/certificates/{certificate['number']}/shipments"
    token = csrf_token(pages.get("/customs/verify").get_data(as_text=True))
    response = pages.post(url, data={"csrf_token": token, "border_post": "Aflao",
                                     "payload": certificate["qr_payload"], "quantity_1": typed})
    assert response.status_code == 422
    assert db.exec(select(Shipment)).all() == []
