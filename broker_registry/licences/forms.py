"""The application page's form: rows of goods, three parties, and the same schema as the API."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from ..errors import ValidationFailed
from ..validation import number_or_text
from ..web.forms import errors_by_field

GOODS_FIELDS = ("description", "category", "quantity", "unit", "unit_value", "currency")
PARTIES = ("supplier", "consignee", "end_user")
MAX_FORM_VALUES = 2000


def goods_rows(form: MultiDict) -> list[dict[str, str]]:
    columns = {name: form.getlist(f"goods_{name}") for name in GOODS_FIELDS}
    count = max((len(values) for values in columns.values()), default=0)
    return [{name: (columns[name][i] if i < len(columns[name]) else "").strip()
             for name in GOODS_FIELDS} for i in range(count)]


def _quantity(text: str):
    return number_or_text(text) if text else None


def application_from_form(form: MultiDict) -> tuple[dict, list[int]]:
    """The API body the form describes, and which form row each goods line came from."""
    parties = {role: {"name": form.get(f"{role}_name", ""),
                      "address": form.get(f"{role}_address", ""),
                      "country": form.get(f"{role}_country", "")} for role in PARTIES}
    parties["end_user"]["kind"] = form.get("end_user_kind", "")
    rows = [(i, row) for i, row in enumerate(goods_rows(form)) if any(row.values())]
    goods = [{**row, "quantity": _quantity(row["quantity"]),
              "unit_value": row["unit_value"] or None, "currency": row["currency"] or None}
             for _, row in rows]
    broker_id = form.get("broker_id", "")
    body = {"broker_id": number_or_text(broker_id), **parties,
            "destination_country": form.get("destination_country") or None,
            "transit_countries": [c for c in form.getlist("transit_countries") if c],
            "goods": goods, "end_use": form.get("end_use", ""),
            "transport": form.get("transport", ""), "financing": form.get("financing", ""),
            "valid_until": form.get("valid_until", "")}
    return body, [i for i, _ in rows]


_GOODS_ERROR = re.compile(r"^goods\.(\d+)\.(\w+)")


def form_errors(error: ValidationFailed, rows: list[int]) -> dict[str, str]:
    """Error keys as the form's control ids: supplier.name -> supplier_name, and goods.0.x ->
    goods_x_N with N the form row."""

    def control(field: str) -> str:
        match = _GOODS_ERROR.match(field)
        if match and int(match.group(1)) < len(rows):
            return f"goods_{match.group(2)}_{rows[int(match.group(1))]}"
        if field.startswith("transit_countries"):
            return "transit_countries"
        return field.replace(".", "_")

    return errors_by_field(error, control)


def stored_form(draft: dict | None) -> MultiDict:
    return MultiDict([(key, value) for key, values in (draft or {}).items()
                      for value in values])


def to_storable(form: MultiDict) -> dict[str, list[str]]:
    stored = {key: [value[:4000] for value in form.getlist(key)][:200]
              for key in list(form.keys())[:100] if key != "csrf_token" and key != "action"}
    return stored
