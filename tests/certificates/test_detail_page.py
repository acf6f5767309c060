"""The certificate's page shows what happened to it: the delivery customs confirmed, and its
history, to everyone who may see the certificate; officers' addresses to staff only."""

from __future__ import annotations

from broker_registry.db.columns import rfc3339, utcnow


def _ship_and_deliver(customs, number: str) -> None:
    shipped = customs.post(f"/api/v1/certificates/{number}/shipments", json={
        "border_post": "Kotoka cargo terminal", "lines": [{"line": 1, "quantity": 5}]})
    assert shipped.status_code == 201, shipped.get_json()
    delivered = customs.post(f"/api/v1/certificates/{number}/delivery", json={
        "received_at": rfc3339(utcnow().replace(microsecond=0)),
        "lines": [{"line": 1, "quantity": 3}], "remarks": "Two pistols missing.\nSeal broken."})
    assert delivered.status_code == 201, delivered.get_json()


def test_the_page_shows_the_delivery_and_the_history(login, regulator, regulators, customs,
                                                     broker_api, register_broker, certificate):
    number = certificate["number"]
    before = login(regulator).get(f"/certificates/{number}").get_data(as_text=True)
    assert "Delivery confirmed" not in before
    assert f"— issued by regulator {regulator.email}</li>" in before
    _ship_and_deliver(customs, number)
    regulators[0].post(f"/api/v1/certificates/{number}/revoke", json={"reason": "Diverted."})
    page = login(regulator).get(f"/certificates/{number}").get_data(as_text=True)
    assert "Delivery confirmed" in page
    assert "<dd class=\"pre\">Two pistols missing.\nSeal broken.</dd>" in page
    assert "<td>1</td><td>Semi-automatic pistols, 9 mm</td><td>3 piece</td>" in page
    history = page.split("<h2>History</h2>")[1]
    officer = customs.account.email
    assert history.index("— issued by") < history.index("— shipment recorded by") \
        < history.index("— delivery confirmed by") < history.index("— revoked by")
    assert f"— shipment recorded by customs officer {officer}</li>" in history
    assert (f"— delivery confirmed by customs officer {officer}: "
            "<q>line 1: 3 received of 5 shipped</q>") in history
    assert f"— revoked by regulator {regulator.email}: <q>Diverted.</q>" in history
    # The holder sees what happened, not who at the authority or the border did it.
    own = login(broker_api.account).get(f"/certificates/{number}").get_data(as_text=True)
    assert "Two pistols missing." in own and "— delivery confirmed by customs officer" in own
    assert officer not in own and regulator.email not in own
    stranger, _ = register_broker()
    response = login(stranger).get(f"/certificates/{number}")
    assert response.status_code == 404 and "Two pistols missing." not in response.get_data(
        as_text=True)


def test_the_history_is_said_in_the_readers_language(login, regulator, customs, certificate):
    number = certificate["number"]
    _ship_and_deliver(customs, number)
    page = login(regulator).get(f"/certificates/{number}?lang=zh").get_data(as_text=True)
    assert "历史记录" in page and f"已签发（操作人：监管官员 {regulator.email}）" in page
    assert "issued by" not in page

