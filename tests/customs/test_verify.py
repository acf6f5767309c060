import io
from datetime import UTC, datetime, timedelta

import pytest
import qrcode
from PIL import Image

from certs import qr


def _verify(api, payload):
    response = api.post("/api/v1/verify", json={"payload": payload})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_genuine_certificate_is_valid_with_its_content_and_quantities(certificate, customs):
    answer = _verify(customs, certificate["qr_payload"])
    assert answer["result"] == "VALID"
    assert answer["certificate"]["number"] == certificate["number"]
    assert answer["certificate"]["end_user"]["name"] == "Ghana Armed Forces"
    assert answer["certificate"]["status"] == "valid"
    assert answer["remaining"] == certificate["remaining"]
    assert answer["checked_at"].endswith("Z")
    assert answer["warnings"] == []
    # times as the API writes every time (RFC 3339, UTC), as the certificate's own answer does
    assert answer["certificate"]["valid_until"] == certificate["valid_until"]
    issued = datetime.fromisoformat(answer["certificate"]["issued_at"])
    assert answer["certificate"]["issued_at"].endswith("Z")
    assert abs(datetime.now(UTC) - issued) < timedelta(minutes=5)
    assert answer["certificate"]["valid_from"].endswith("Z")


def test_revocation_is_seen_online_at_once(certificate, customs, regulators):
    regulators[0].post(f"/api/v1/certificates/{certificate['number']}/revoke",
                       json={"reason": "End user diverted an earlier shipment"})
    answer = _verify(customs, certificate["qr_payload"])
    assert answer["result"] == "REVOKED"
    assert "diverted an earlier shipment" in answer["reason"]
    assert answer["certificate"]["number"] == certificate["number"]


def test_revoking_the_licence_revokes_its_certificates(certificate, licence, customs,
                                                       regulators):
    response = regulators[0].post(f"/api/v1/licences/{licence['id']}/revoke",
                                  json={"reason": "False end-user statement"})
    assert response.status_code == 200
    assert _verify(customs, certificate["qr_payload"])["result"] == "REVOKED"


def test_suspending_and_reinstating_the_licence(certificate, licence, customs, regulators):
    path = f"/api/v1/licences/{licence['id']}"
    regulators[0].post(f"{path}/suspend", json={"reason": "Inquiry"})
    assert _verify(customs, certificate["qr_payload"])["result"] == "SUSPENDED"
    regulators[0].post(f"{path}/reinstate", json={"reason": "Inquiry closed"})
    assert _verify(customs, certificate["qr_payload"])["result"] == "VALID"


def test_suspending_the_broker_suspends_its_certificates(certificate, broker_api, customs,
                                                         regulators):
    regulators[0].post(f"/api/v1/brokers/{broker_api.broker.id}/suspend",
                       json={"reason": "Investigation"})
    assert _verify(customs, certificate["qr_payload"])["result"] == "SUSPENDED"


def test_broken_and_forged_payloads(certificate, customs):
    payload = certificate["qr_payload"]
    assert _verify(customs, "hello")["result"] == "MALFORMED"
    assert _verify(customs, "hello")["certificate"] is None
    assert _verify(customs, "EUC1:" + "%" * 40)["result"] == "MALFORMED"
    tampered = payload[:-12] + ("A" if payload[-12] != "A" else "B") + payload[-11:]
    assert _verify(customs, tampered)["result"] in {"BAD_SIGNATURE", "MALFORMED"}
    huge = _verify(customs, "EUC1:" + "0" * 20000)  # as the command line answers it
    assert huge["result"] == "MALFORMED" and "longer than 8192 characters" in huge["reason"]
    assert customs.post("/api/v1/verify", json={"payload": 5}).status_code == 422


def test_verify_needs_customs_or_regulator(certificate, broker_api, anonymous, regulators):
    body = {"payload": certificate["qr_payload"]}
    assert broker_api.post("/api/v1/verify", json=body).status_code == 403
    assert anonymous.post("/api/v1/verify", json=body).status_code == 401
    assert regulators[1].post("/api/v1/verify", json=body).status_code == 200


def test_a_photo_of_the_qr_is_read_server_side(certificate, customs):
    png = qr.render_png(certificate["qr_payload"])
    photo = Image.open(io.BytesIO(png)).convert("RGB").rotate(7, expand=True, fillcolor="white")
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=85)
    response = customs.post("/api/v1/verify/image",
                            data={"image": (io.BytesIO(buffer.getvalue()), "photo.jpg")},
                            content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["result"] == "VALID"


def test_pictures_without_a_code_are_a_clear_422(customs):
    blank = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(blank, "PNG")
    cases = {
        "blank": blank.getvalue(),
        "not an image": b"%PDF-1.4 not an image",
        "truncated": blank.getvalue()[:60],
    }
    for name, data in cases.items():
        response = customs.post("/api/v1/verify/image", data={"image": (io.BytesIO(data), "x")},
                                content_type="multipart/form-data")
        assert response.status_code == 422, name
        assert response.get_json()["errors"][0]["field"] == "image"
    missing = customs.post("/api/v1/verify/image", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_a_decompression_bomb_is_refused(customs):
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")
    response = customs.post("/api/v1/verify/image",
                            data={"image": (io.BytesIO(bomb.getvalue()), "bomb.png")},
                            content_type="multipart/form-data")
    assert response.status_code == 422
    assert "too large" in response.get_json()["detail"] or "readable" in \
        response.get_json()["detail"]


def test_another_qr_code_is_malformed(customs):
    image = qrcode.make("https://example.org/not-a-certificate")
    buffer = io.BytesIO()
    image.save(buffer)
    response = customs.post("/api/v1/verify/image",
                            data={"image": (io.BytesIO(buffer.getvalue()), "x.png")},
                            content_type="multipart/form-data")
    assert response.get_json()["result"] == "MALFORMED"


def test_a_licence_is_not_reinstated_while_its_broker_is_suspended(certificate, licence,
                                                                   broker_api, customs,
                                                                   regulators):
    regulator = regulators[0]
    broker_url = f"/api/v1/brokers/{broker_api.broker.id}"
    regulator.post(f"{broker_url}/suspend", json={"reason": "Investigation"})
    before = regulator.get(f"/api/v1/licences/{licence['id']}").get_json()
    refused = regulator.post(f"/api/v1/licences/{licence['id']}/reinstate",
                             json={"reason": "Cleared too early"})
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"
    assert "reinstate the broker before" in refused.get_json()["detail"]
    assert regulator.get(f"/api/v1/licences/{licence['id']}").get_json() == before
    assert _verify(customs, certificate["qr_payload"])["result"] == "SUSPENDED"
    # once the broker is back, the licence can be, case by case
    regulator.post(f"{broker_url}/reinstate", json={"reason": "Inquiry closed"})
    assert regulator.post(f"/api/v1/licences/{licence['id']}/reinstate",
                          json={"reason": "Cleared"}).get_json()["status"] == "issued"
    assert _verify(customs, certificate["qr_payload"])["result"] == "VALID"


def _listed_code(anonymous, certificate) -> int:
    """The reason code the published revocation list carries for this certificate, once the
    worker published it."""
    from tests.customs.live import publish
    from tests.revocations.test_api import _hash

    publish(anonymous.client.application)
    h = _hash(certificate)
    full = anonymous.get("/api/v1/revocations?format=json").get_json()
    return [entry["r"] for entry in full["entries"] if entry["h"] == _b64(h)][-1]


def _b64(raw: bytes) -> str:
    import base64

    return base64.b64encode(raw).decode()


@pytest.mark.parametrize(("code", "number", "words"), [
    (None, 0, "(unspecified)"),
    ("diversion_suspected", 8, "(diversion suspected)"),
    ("issued_in_error", 5, "(issued in error)"),
])
def test_a_revocation_by_hand_carries_the_code_given(certificate, customs, regulators,
                                                     anonymous, code, number, words):
    body = {"reason": "Consignee re-exported", **({"reason_code": code} if code else {})}
    response = regulators[0].post(f"/api/v1/certificates/{certificate['number']}/revoke",
                                  json=body)
    assert response.status_code == 200, response.get_json()
    answer = _verify(customs, certificate["qr_payload"])
    assert answer["result"] == "REVOKED" and words in answer["reason"]
    assert answer["reason"].endswith(": Consignee re-exported")
    assert _listed_code(anonymous, certificate) == number


def test_a_revocation_code_that_is_not_offered_is_refused(certificate, customs, regulators):
    for code in ("key_compromise", "licence_revoked", "8", ""):
        response = regulators[0].post(f"/api/v1/certificates/{certificate['number']}/revoke",
                                      json={"reason": "x", "reason_code": code})
        assert response.status_code == 422, code
        assert response.get_json()["errors"][0]["field"] == "reason_code"
    assert _verify(customs, certificate["qr_payload"])["result"] == "VALID"


def test_sanctions_carry_the_code_of_where_they_started(certificate, licence, broker_api,
                                                        customs, regulators, anonymous):
    regulators[0].post(f"/api/v1/brokers/{broker_api.broker.id}/suspend",
                       json={"reason": "Investigation"})
    answer = _verify(customs, certificate["qr_payload"])
    assert "(registration suspended)" in answer["reason"]
    assert _listed_code(anonymous, certificate) == 4
    regulators[0].post(f"/api/v1/licences/{licence['id']}/revoke", json={"reason": "Fraud"})
    answer = _verify(customs, certificate["qr_payload"])
    assert answer["result"] == "REVOKED" and "(licence revoked)" in answer["reason"]
    assert _listed_code(anonymous, certificate) == 1


def test_the_answer_carries_the_reason_code_and_its_parameters(certificate, customs,
                                                               regulators):
    from certs.reasons import Reason

    answer = _verify(customs, certificate["qr_payload"])
    assert (answer["reason_code"], answer["reason_params"], answer["warning_codes"]) == (
        "valid", {}, [])
    regulators[0].post(f"/api/v1/certificates/{certificate['number']}/revoke",
                       json={"reason": "Diverted", "reason_code": "diversion_suspected"})
    answer = _verify(customs, certificate["qr_payload"])
    assert answer["reason_code"] == "revoked"
    params = answer["reason_params"]
    assert (params["revocation_reason"], params["note"]) == (8, "Diverted")
    assert answer["reason"] == Reason("revoked", params).sentence  # one table says it
    broken = _verify(customs, "HC1:" + certificate["qr_payload"][5:])
    assert (broken["result"], broken["reason_code"]) == ("MALFORMED", "not_euc1")
    detail = broken["reason_params"]["detail"]
    assert broken["reason"] == f"Not a readable EUC1 certificate: {detail}."
