import base64
import subprocess

import cbor2
import pytest
import zxingcpp
from PIL import Image
from sqlmodel import select

from broker_registry.audit.models import AuditEntry
from certs.cose import decode_sign1
from certs.qrtext import decode_qr_text
from tests.records import issue_certificate


def test_an_empty_body_certifies_every_line_with_what_is_left(licence, regulators, anonymous):
    regulator = regulators[0]
    certificate = issue_certificate(regulator, licence["id"])
    assert certificate["number"].startswith("EUC-XX-")
    assert certificate["status"] == "valid"
    assert certificate["qr_payload"].startswith("EUC1:")
    assert certificate["remaining"] == [
        {"line": 1, "licensed": 200, "shipped": 0, "left": 200},
        {"line": 2, "licensed": 100000, "shipped": 0, "left": 100000}]
    content = certificate["content"]
    assert content["licence_number"] == licence["licence_number"]
    assert content["end_user"] == {"name": "Ghana Armed Forces", "address": "Burma Camp, Accra",
                                   "country": "GH", "kind": "armed_forces"}
    assert content["goods"][0]["value"] == "90000" and content["goods"][0]["currency"] == "EUR"
    assert content["transit"] == ["FR"] and content["no_reexport"] is True
    assert certificate["valid_until"][:10] == licence["valid_until"][:10]


def test_the_sum_of_certificates_never_exceeds_the_licence(licence, regulators):
    regulator = regulators[0]
    first = issue_certificate(regulator, licence["id"],
                              {"lines": [{"line": 1, "quantity": 150}]})
    assert [r["licensed"] for r in first["remaining"]] == [150]
    over = regulator.post(f"/api/v1/licences/{licence['id']}/certificates",
                          json={"lines": [{"line": 1, "quantity": 51}]})
    assert over.status_code == 409 and "51 asked, 50 left" in over.get_json()["detail"]
    rest = issue_certificate(regulator, licence["id"])
    assert [(r["line"], r["licensed"]) for r in rest["remaining"]] == [(1, 50), (2, 100000)]
    none_left = regulator.post(f"/api/v1/licences/{licence['id']}/certificates")
    assert none_left.status_code == 409
    assert "is issued, and every one of its goods lines is already on certificates" in \
        none_left.get_json()["detail"]


def test_a_revoked_certificate_gives_back_what_it_did_not_ship(licence, regulators):
    regulator = regulators[0]
    first = issue_certificate(regulator, licence["id"], {"lines": [{"line": 1, "quantity": 200}]})
    revoked = regulator.post(f"/api/v1/certificates/{first['number']}/revoke",
                             json={"reason": "Printed with a typo"})
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    again = issue_certificate(regulator, licence["id"], {"lines": [{"line": 1, "quantity": 200}]})
    assert again["remaining"][0]["licensed"] == 200


def test_bad_issue_requests(licence, regulators, broker_api, customs, db):
    regulator = regulators[0]
    path = f"/api/v1/licences/{licence['id']}/certificates"
    cases = [
        ({"lines": [{"line": 9, "quantity": 1}]}, 422, "lines.0.line"),
        ({"lines": [{"line": 1, "quantity": 0}]}, 422, "lines.0.quantity"),
        ({"lines": [{"line": 1, "quantity": "5"}]}, 422, "lines"),
        ({"lines": [{"line": 1, "quantity": 1}, {"line": 1, "quantity": 1}]}, 422,
         "lines.1.line"),
        ({"valid_until": "2099-01-01"}, 422, "valid_until"),
        ({"valid_until": "yesterday"}, 422, "valid_until"),
        ({"colour": "red"}, 422, "colour"),
    ]
    for body, status, field in cases:
        response = regulator.post(path, json=body)
        assert response.status_code == status, (body, response.get_json())
        assert field in [e["field"] for e in response.get_json()["errors"]], body
    assert broker_api.post(path).status_code == 403
    assert customs.post(path).status_code == 403
    assert regulator.post("/api/v1/licences/999999/certificates").status_code == 404
    issued = db.exec(select(AuditEntry).where(AuditEntry.action == "certificate.issued")).all()
    assert issued == []


def test_owner_and_staff_read_it_other_brokers_do_not(certificate, broker_api, customs, api_as):
    number = certificate["number"]
    assert broker_api.get(f"/api/v1/certificates/{number}").get_json()["number"] == number
    assert customs.get(f"/api/v1/certificates/{number}").status_code == 200
    stranger = api_as("broker")
    assert stranger.get(f"/api/v1/certificates/{number}").status_code == 404
    assert stranger.get(f"/api/v1/certificates/{number}/qr.png").status_code == 404


def test_qr_png_decodes_back_to_the_exact_payload(certificate, broker_api, tmp_path):
    response = broker_api.get(f"/api/v1/certificates/{certificate['number']}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    path = tmp_path / "qr.png"
    path.write_bytes(response.data)
    found = zxingcpp.read_barcodes(Image.open(path), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in found] == [certificate["qr_payload"]]
    assert found[0].ec_level == "Q"
    svg = broker_api.get(f"/api/v1/certificates/{certificate['number']}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_the_payload_carries_the_spec_header_and_claims(certificate, keys):
    message = decode_sign1(decode_qr_text(certificate["qr_payload"]))
    header = cbor2.loads(message.protected)
    assert header[1] == -7 and len(header[4]) == 8
    claims = cbor2.loads(message.payload)
    assert claims[1] == "XX-NCA" and len(claims[7]) == 16
    assert claims[4] > claims[5] >= claims[6] - 1
    assert claims[-70001]["n"] == certificate["number"]


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_the_pdf_names_the_certificate_and_carries_a_readable_qr(certificate, broker_api,
                                                                 tmp_path):
    response = broker_api.get(f"/api/v1/certificates/{certificate['number']}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in (certificate["number"], "Ghana Armed Forces", "Semi-automatic pistols",
                     "9 mm cartridges", "最终用户证书", "END-USER CERTIFICATE",
                     "prior written consent"):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"),
                                   formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in found] == [certificate["qr_payload"]]
    again = broker_api.get(f"/api/v1/certificates/{certificate['number']}/certificate.pdf")
    assert again.data == response.data  # rendered once, served from the cache


def test_the_schema_is_served(anonymous):
    schema = anonymous.get("/api/v1/schemas/euc-v1.json")
    assert schema.status_code == 200
    assert schema.get_json()["$id"].endswith("euc-v1.json")
    assert set(schema.get_json()["properties"]) >= {"v", "n", "l", "g", "x"}


def test_a_licence_that_is_not_issued_gets_no_certificate(broker_api, regulators, keys):
    from tests.records import submit

    pending = submit(broker_api)
    response = regulators[0].post(f"/api/v1/licences/{pending['id']}/certificates")
    assert response.status_code == 409 and "submitted" in response.get_json()["detail"]


def test_trust_list_lists_the_signer_with_an_etag(anonymous, keys, certificate):
    response = anonymous.get("/api/v1/trust-list")
    assert response.status_code == 200
    body = response.get_json()
    assert body["authority"]["code"] == "XX-NCA"
    assert [s["status"] for s in body["signers"]] == ["active"]
    assert len(base64.b64decode(body["signers"][0]["kid"])) == 8
    again = anonymous.get("/api/v1/trust-list",
                          headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_certificate_page_shows_the_qr_only_to_who_may_download_it(
        app, certificate, make_account):
    number = certificate["number"]
    regulator = _signed_in(app, make_account("regulator"))
    assert f"/certificates/{number}/qr.svg" in regulator.get(f"/certificates/{number}").text
    svg = regulator.get(f"/certificates/{number}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    customs = _signed_in(app, make_account("customs"))
    page = customs.get(f"/certificates/{number}").text
    assert number in page and "qr.svg" not in page and "certificate.pdf" not in page


def _signed_in(app, account):
    from tests.conftest import PASSWORD, csrf_token

    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": account.email, "password": PASSWORD,
                                "csrf_token": token})
    return client


def test_the_licence_page_lists_its_certificates_and_offers_to_issue(app, licence, regulators,
                                                                     make_account):
    regulator = _signed_in(app, make_account("regulator"))
    issue_form = f"/licences/{licence['id']}/certificates/new"
    assert issue_form in regulator.get(f"/licences/{licence['id']}").text
    partial = issue_certificate(regulators[0], licence["id"],
                                {"lines": [{"line": 1, "quantity": 5}]})
    page = regulator.get(f"/licences/{licence['id']}").text
    assert partial["number"] in page and issue_form in page
    rest = issue_certificate(regulators[0], licence["id"])  # everything left
    page = regulator.get(f"/licences/{licence['id']}").text
    assert rest["number"] in page and issue_form not in page  # nothing is left to offer
    assert "nothing is left to certify" in page


def test_a_licences_certificates_are_listed_to_whoever_may_read_them(
        licence, certificate, broker_api, customs, api_as):
    path = f"/api/v1/licences/{licence['id']}/certificates"
    for reader in (broker_api, customs, api_as("regulator")):
        response = reader.get(path)
        assert response.status_code == 200
        assert [c["number"] for c in response.get_json()["items"]] == [certificate["number"]]
    stranger = api_as("broker").get(path)
    assert stranger.status_code == 404
    assert stranger.content_type == "application/problem+json"
    assert customs.get("/api/v1/licences/999999/certificates").status_code == 404
