"""A JSON body must be JSON, said to be JSON: anything else is refused before it is read."""

from __future__ import annotations

import pytest
from sqlmodel import select

from broker_registry.brokers.models import Broker
from tests.factories import broker_application


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/xml", None])
def test_a_body_not_sent_as_json_is_a_415(api_as, db, content_type):
    import json

    broker = api_as("broker")
    headers = {"Content-Type": content_type} if content_type else {}
    response = broker.post("/api/v1/brokers", data=json.dumps(broker_application()),
                           headers=headers)
    assert response.status_code == 415
    assert response.content_type == "application/problem+json"
    assert "application/json" in response.get_json()["detail"]
    assert db.exec(select(Broker)).all() == []


def test_a_structured_json_type_is_json(api_as):
    import json

    response = api_as("broker").post("/api/v1/brokers", data=json.dumps(broker_application()),
                                     headers={"Content-Type": "application/merge-patch+json"})
    assert response.status_code == 201


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_numbers_json_does_not_have_are_a_400(api_as, customs, certificate, number):
    response = customs.post(f"/api/v1/certificates/{certificate['number']}/shipments",
                            data='{"border_post": "Aflao", "lines": [{"line": 1, "quantity": '
                                 + number + "}]}",
                            headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["detail"] == "The request body is not valid JSON."
    left = customs.get(f"/api/v1/certificates/{certificate['number']}").get_json()
    assert left["remaining"][0]["shipped"] == 0
