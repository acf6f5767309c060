"""The content (`euc` claim) of a certificate, built from its licence, broker and authority."""

from __future__ import annotations

from decimal import Decimal


def _party(party: dict) -> dict:
    return {"name": party["name"], "address": party["address"], "country": party["country"]}


def _value(line, quantity: int) -> dict:
    if line.unit_value is None or line.currency is None:
        return {}
    total = (Decimal(line.unit_value) * quantity).normalize()
    return {"value": format(total, "f"), "currency": line.currency}


def certificate_content(*, number: str, licence, lines, quantities: dict[int, int], broker,
                        authority_name: str, authority_country: str,
                        dvc_required: bool = True) -> dict:
    end_user = licence.end_user
    return {
        "schema": 1,
        "number": number,
        "licence_number": licence.licence_number,
        "authority": {"name": authority_name, "country": authority_country},
        "broker": {"name": broker.legal_name, "registration_number": broker.registration_number,
                   "country": broker.country},
        "supplier": _party(licence.supplier),
        "consignees": [_party(licence.consignee)],
        "end_user": {**_party(end_user), "kind": end_user["kind"]},
        "destination": licence.destination_country or end_user["country"],
        "transit": list(licence.transit_countries or []),
        "goods": [
            {"line": line.line_no, "description": line.description, "category": line.category,
             "quantity": quantities[line.line_no], "unit": line.unit,
             **_value(line, quantities[line.line_no])}
            for line in lines if line.line_no in quantities
        ],
        "end_use": licence.end_use,
        "no_reexport": True,
        "dvc_required": dvc_required,
    }
