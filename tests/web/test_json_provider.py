"""JSON answers (orjson) read the same as Flask's own encoder wrote them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider


def test_answers_parse_to_what_the_standard_encoder_writes(app):
    value = {"result": "VALID", "reason": "签名有效",
             "at": datetime(2026, 11, 28, 9, 30, tzinfo=UTC), "value": Decimal("1234.50"),
             "lines": [{"line": 1, "left": 195}], "none": None}
    with app.app_context():
        ours = app.json.response(value).get_data()
        standard = DefaultJSONProvider(app).response(value).get_data()
    assert "签名有效".encode() in ours  # orjson's UTF-8; Flask's encoder escapes it
    assert json.loads(ours) == json.loads(standard)
    assert json.loads(ours)["at"] == "Sat, 28 Nov 2026 09:30:00 GMT"  # Flask's date form
    assert list(json.loads(ours)) == ["result", "reason", "at", "value", "lines", "none"]


def test_what_orjson_refuses_goes_to_the_standard_encoder(app):
    value = {1: "integer key", "big": 2**70}
    with app.app_context():
        answer = app.json.response(value)
    assert json.loads(answer.get_data()) == {"1": "integer key", "big": 2**70}


def test_a_verification_answer_leads_with_its_result(certificate, customs):
    answer = customs.post("/api/v1/verify", json={"payload": certificate["qr_payload"]})
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.data.startswith(b'{"result":"VALID","reason":')
