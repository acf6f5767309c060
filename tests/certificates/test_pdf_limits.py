"""The certificate PDF of the longest certificate the schemas allow, in Latin and in Chinese
script: every field at its limit, read from the schemas. It renders, over several pages when it
must, and its text holds every field whole.

A cell taller than a page (an end use of 25 short paragraphs) made reportlab raise LayoutError,
a 500 every time: a signed certificate that could never be printed."""

from __future__ import annotations

import re
import subprocess

import pytest

from broker_registry.brokers.schemas import BrokerApplication
from broker_registry.licences.schemas import LicenceApplication
from tests.records import application, decide, issue_certificate

SCHEMA = LicenceApplication.model_json_schema()
BROKER_SCHEMA = BrokerApplication.model_json_schema()


def _limit(schema: dict, *path: str) -> int:
    """maxLength or maxItems at the path through properties and $defs."""
    node = schema
    for name in path:
        node = node["properties"][name]
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif "items" in node and "$ref" in node["items"]:
            if name == path[-1]:
                return node["maxItems"]
            node = schema["$defs"][node["items"]["$ref"].rsplit("/", 1)[1]]
    return node.get("maxLength") or node["maxItems"]


# Repeated words compress (the QR code holds the content zlib-compressed, within version 30),
# and a marker at each end shows whether a field came through whole.
WORDS = {"latin": "arms & ammunition <for> the police; ", "zh": "供军事警察部队使用的随身武器，"}


def _text(script: str, tag: str, length: int, *, lines: bool = False) -> str:
    """`length` characters: a marker, the words over and over (a line each, for a block such as
    an address), and the marker's end."""
    head, tail = f"[{tag}>", f"<{tag}]"
    unit = WORDS[script].strip() + "\n" if lines else WORDS[script]
    room = length - len(head) - len(tail)
    body = (unit * (room // len(unit) + 1))[:room]
    return head + body[:-1] + "." + tail if body[-1:].isspace() else head + body + tail


def _longest(script: str, broker_id: int) -> dict:
    def party(role: str, country: str) -> dict:
        return {"name": _text(script, f"{role}-name", _limit(SCHEMA, role, "name")),
                "address": _text(script, f"{role}-addr", _limit(SCHEMA, role, "address"),
                                 lines=True),
                "country": country}

    lines = _limit(SCHEMA, "goods")
    goods = [{"description": _text(script, f"g{n}", _limit(SCHEMA, "goods", "description")),
              "category": "SALW-1", "quantity": 1, "unit": "piece"} for n in range(lines)]
    return application(
        broker_id, supplier=party("supplier", "IT"), consignee=party("consignee", "GH"),
        end_user={**party("end_user", "GH"), "kind": "armed_forces"}, goods=goods,
        transit_countries=["FR", "DE", "ES", "PT", "NL", "BE", "AT", "CH", "PL", "CZ", "SK",
                           "HU", "SI", "HR", "IE", "DK", "SE", "NO", "FI", "EE"][
                               :_limit(SCHEMA, "transit_countries")],
        end_use=_text(script, "end-use", _limit(SCHEMA, "end_use"), lines=True))


CERTIFIED = 10
GOODS_HEADER = "No.序号Description说明Category类别Quantity数量Value价值"


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow  # seconds: make test runs it, make check does not
@pytest.mark.parametrize("script", ["latin", "zh"])
def test_the_longest_certificate_prints_whole(script, api_as, register_broker, regulators,
                                              keys, tmp_path):
    owner, broker = register_broker(
        legal_name=_text(script, "broker", _limit(BROKER_SCHEMA, "legal_name")))
    body = _longest(script, broker.id)
    assert len(body["end_use"]) == 4000 and len(body["goods"]) == 50
    assert len(body["goods"][0]["description"]) == 500 and len(body["supplier"]["name"]) == 300
    licence = api_as(owner).post("/api/v1/licences", json=body)
    assert licence.status_code == 201, licence.get_json()
    licence_id = licence.get_json()["id"]
    for regulator in regulators:
        assert decide(regulator, licence_id, "approve").status_code == 200
    # Fifty descriptions at their limit are more than a version 30 code holds, compressed
    # or not; a certificate may cover some of a licence's lines, and this one covers ten.
    certificate = issue_certificate(regulators[0], licence_id, {
        "lines": [{"line": n, "quantity": 1} for n in range(1, CERTIFIED + 1)]})

    response = regulators[0].get(f"/api/v1/certificates/{certificate['number']}/certificate.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.data)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout).group(1))
    assert pages > 1
    text = _squeezed(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                                    capture_output=True, text=True, check=True).stdout)
    # A goods row split over two pages has its other cells, then the header the table repeats
    # on the new page, between the two parts of its description.
    for between in (GOODS_HEADER, "SALW-11piece—"):
        text = text.replace(between, "")
    fields = [body["end_use"], broker.legal_name,
              *(body[role][key] for role in ("supplier", "consignee", "end_user")
                for key in ("name", "address")),
              *(line["description"] for line in body["goods"][:CERTIFIED])]
    missing = [field[:12] for field in fields if _squeezed(field) not in text]
    assert missing == []
