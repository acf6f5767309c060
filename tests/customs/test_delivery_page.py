"""Customs confirm a delivery on the certificate's page: once, however often the form is sent,
and a refused form comes back as typed with each error beside its field."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from broker_registry.audit.models import AuditEntry
from broker_registry.certificates.models import Certificate
from broker_registry.customs.models import Delivery
from broker_registry.db.columns import utcnow
from tests.conftest import csrf_token


def _ship(customs, number: str, quantity: int = 5) -> None:
    response = customs.post(f"/api/v1/certificates/{number}/shipments", json={
        "border_post": "Kotoka cargo terminal", "lines": [{"line": 1, "quantity": quantity}]})
    assert response.status_code == 201, response.get_json()


def _form(page: str) -> dict:
    nonce = re.search(r'name="form_nonce" value="([^"]+)"', page)
    assert nonce, "the delivery form carries no nonce"
    return {"csrf_token": csrf_token(page), "form_nonce": nonce[1]}


def _today() -> str:
    return utcnow().date().isoformat()


def _deliveries_audited(db) -> list[AuditEntry]:
    return db.exec(select(AuditEntry).where(AuditEntry.action == "delivery.confirmed")).all()


def test_customs_confirm_what_arrived_and_the_page_then_shows_it(db, login, make_account,
                                                                 customs, certificate):
    number = certificate["number"]
    _ship(customs, number)
    pages = login(make_account("customs"))
    page = pages.get(f"/certificates/{number}").get_data(as_text=True)
    assert f'action="/customs/certificates/{number}/delivery"' in page
    assert 'name="quantity_1"' in page and 'max="5"' in page
    assert 'name="quantity_2"' not in page  # nothing of line 2 was shipped, nothing can arrive
    response = pages.post(f"/customs/certificates/{number}/delivery", data={
        **_form(page), "received_at": _today(), "quantity_1": "4",
        "remarks": "One pistol missing from crate 3."})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/certificates/{number}"
    delivery = db.exec(select(Delivery)).one()
    assert delivery.lines == [{"line": 1, "quantity": 4}]
    assert delivery.remarks == "One pistol missing from crate 3."
    assert delivery.received_at.date() == utcnow().date()
    [entry] = _deliveries_audited(db)
    assert entry.subject_id == number and entry.reason == "line 1: 4 received of 5 shipped"
    shown = pages.get(f"/certificates/{number}").get_data(as_text=True)
    assert f"Delivery of {number} confirmed." in shown
    assert "Delivery confirmed" in shown and "One pistol missing from crate 3." in shown
    assert "<td>1</td><td>Semi-automatic pistols, 9 mm</td><td>4" in shown
    assert "/delivery" not in shown  # confirmed once: the form is gone


def test_the_same_form_sent_twice_confirms_once(db, login, make_account, customs, certificate):
    number = certificate["number"]
    _ship(customs, number)
    pages = login(make_account("customs"))
    form = {**_form(pages.get(f"/certificates/{number}").get_data(as_text=True)),
            "received_at": _today(), "quantity_1": "5"}
    first = pages.post(f"/customs/certificates/{number}/delivery", data=form)
    again = pages.post(f"/customs/certificates/{number}/delivery", data=form)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == f"/certificates/{number}"
    page = pages.get(again.headers["Location"]).get_data(as_text=True)
    assert "This form was already sent: here is the delivery it confirmed." in page
    assert len(db.exec(select(Delivery)).all()) == 1
    assert len(_deliveries_audited(db)) == 1


def test_a_refused_delivery_keeps_what_was_typed_beside_each_error(db, login, make_account,
                                                                   customs, certificate):
    number = certificate["number"]
    _ship(customs, number)
    pages = login(make_account("customs"))
    form = _form(pages.get(f"/certificates/{number}").get_data(as_text=True))
    # dates from the certificate's own issue, not the clock: this runs at midnight too
    issued = db.exec(select(Certificate).where(Certificate.number == number)).one().issued_at
    yesterday = (issued - timedelta(days=1)).date().isoformat()
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    for typed, field, label, error in (
            ({"quantity_1": "6"}, "quantity_1", "Quantity of line 1",
             "6 received, but only 5 shipped"),
            ({"quantity_1": ""}, "quantity_1", "Quantity of line 1", "is required"),
            ({"quantity_1": "four"}, "quantity_1", "Quantity of line 1",
             "must be a whole number"),
            ({"received_at": yesterday}, "received_at", "Date received",
             "is before the certificate was issued"),
            ({"received_at": tomorrow}, "received_at", "Date received", "is in the future"),
            ({"received_at": "31/01/2027"}, "received_at", "Date received",
             "&#39;31/01/2027&#39; is not a YYYY-MM-DD date"),
            ({"received_at": ""}, "received_at", "Date received", "is required"),
            ({"remarks": "Crate \x07 3"}, "remarks", "Remarks", "contains a control character")):
        sent = {"received_at": _today(), "quantity_1": "5", "remarks": "Sealed crates.", **typed}
        response = pages.post(f"/customs/certificates/{number}/delivery", data={**form, **sent})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, typed
        assert f'href="#{field}">{label}</a>: {error}' in page, typed  # in the summary
        assert f'<p class="error" id="{field}-error">{error}</p>' in page, typed  # beside it
        assert f'value="{sent["received_at"]}"' in page, typed
        assert f'value="{sent["quantity_1"]}"' in page, typed
        if field != "remarks":
            assert ">Sealed crates.</textarea>" in page, typed
    assert db.exec(select(Delivery)).all() == [] and _deliveries_audited(db) == []


def test_errors_are_said_in_the_readers_language(login, make_account, customs, certificate):
    number = certificate["number"]
    _ship(customs, number)
    pages = login(make_account("customs"))
    form = _form(pages.get(f"/certificates/{number}").get_data(as_text=True))
    response = pages.post(f"/customs/certificates/{number}/delivery?lang=zh", data={
        **form, "received_at": _today(), "quantity_1": "6"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "收到 6，但只运出 5" in page and "第 1 项数量" in page
    assert "received, but only" not in page


def test_the_form_is_for_customs_while_a_delivery_can_still_be_confirmed(
        db, login, make_account, api_as, broker_api, regulator, customs, certificate):
    number, url = certificate["number"], f"/customs/certificates/{certificate['number']}/delivery"
    officer = make_account("customs")
    pages = login(officer)
    page = pages.get(f"/certificates/{number}").get_data(as_text=True)
    assert url not in page  # nothing shipped yet: nothing can have arrived
    token = csrf_token(page)
    refused = pages.post(url, data={"csrf_token": token, "received_at": _today(),
                                    "quantity_1": "1"})
    assert refused.status_code == 409
    assert "Nothing has been shipped against this certificate yet." in \
        refused.get_data(as_text=True)
    _ship(customs, number)
    for who in (regulator, broker_api.account):
        other = login(who)
        assert url not in other.get(f"/certificates/{number}").get_data(as_text=True)
        assert other.post(url, data={"csrf_token": csrf_token(
            other.get("/account").get_data(as_text=True)), "received_at": _today(),
            "quantity_1": "1"}).status_code == 403
    assert db.exec(select(Delivery)).all() == []


def test_the_verify_page_leads_to_the_certificates_page(login, make_account, certificate):
    pages = login(make_account("customs"))
    page = pages.get("/customs/verify", query_string={"payload": certificate["qr_payload"]})
    number = certificate["number"]
    assert f'<a href="/certificates/{number}">{number}</a> (valid)' in page.get_data(as_text=True)


def test_the_day_typed_is_the_posts_own_today_even_east_of_utc():
    from datetime import UTC, datetime

    from broker_registry.customs.views import moment_received

    late = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 09:00 on 1 December in Sydney
    assert moment_received("2026-12-01", late) == "2026-11-30T23:00:00Z"  # now, not the future
    assert moment_received("2026-11-30", late) == "2026-11-30T23:00:00Z"
    assert moment_received("2026-11-29", late) == "2026-11-29T23:59:59Z"  # the whole day
    assert moment_received("2026-12-02", late) == "2026-12-02T23:59:59Z"  # truly in the future
    assert moment_received("2026-02-30", late) is None
    assert moment_received("30/11/2026", late) is None


def test_a_delivery_another_officer_confirmed_first_is_said_where_it_shows(
        db, app, login, make_account, customs, certificate):
    number = certificate["number"]
    _ship(customs, number)
    first, second = login(make_account("customs")), app.test_client()
    form = {"received_at": _today(), "quantity_1": "5"}
    page_of_second = _sign_in_as_another_officer(app, make_account, second, number)
    done = first.post(f"/customs/certificates/{number}/delivery",
                      data={**_form(first.get(f"/certificates/{number}").get_data(as_text=True)),
                            **form})
    assert done.status_code == 302
    late = second.post(f"/customs/certificates/{number}/delivery",
                       data={**_form(page_of_second), **form})
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert 'href="#delivery"' in html and 'id="delivery"' in html
    assert len(db.exec(select(Delivery)).all()) == 1


def _sign_in_as_another_officer(app, make_account, client, number: str) -> str:
    """A second browser signed in as another officer, on the certificate's page."""
    from tests.conftest import PASSWORD

    officer = make_account("customs")
    token = csrf_token(client.get("/login").get_data(as_text=True))
    signed = client.post("/login", data={"email": officer.email, "password": PASSWORD,
                                         "csrf_token": token})
    assert signed.status_code == 302
    return client.get(f"/certificates/{number}").get_data(as_text=True)
