"""The `euc` claim: the end-user certificate content, readable form <-> compact CBOR form.

The app works with the readable dict (long keys, category codes such as "SALW-3"). What goes
into the QR code is the compact form published in schemas/euc-v1.json: one-letter keys at the
top, parties and goods lines as fixed-position arrays, categories and end-user kinds as small
integers, defaults omitted. Each of those saves bytes that zlib cannot, because a certificate
holds each key once. Decimal amounts stay strings: exact, and independent of each currency's
minor unit.

Readable form (schema 1):
    {"schema": 1, "number": str, "licence_number": str,
     "authority": {"name", "country"},
     "broker": {"name", "registration_number", "country"},
     "supplier": {"name", "address", "country"},
     "consignees": [{"name", "address", "country"}, ...],
     "end_user": {"name", "address", "country", "kind"},
     "destination": "XX", "transit": ["YY", ...],
     "goods": [{"line", "description", "category", "quantity", "unit",
                "value"?: "1234.50", "currency"?: "EUR"}, ...],
     "end_use": str, "no_reexport": True, "dvc_required": bool}
"""

import json
import re
import string
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from .errors import MalformedError

SCHEMA_VERSION = 1
# Line numbers and quantities are at most 2**53 - 1, the largest integer every JSON and
# JavaScript reader holds exactly.
MAX_INTEGER = 2**53 - 1
SCHEMA_ID = "https://broker-registry.example/schemas/euc-v1.json"

CATEGORIES: dict[str, str] = {
    "SALW-1": "Revolvers and self-loading pistols",
    "SALW-2": "Rifles and carbines",
    "SALW-3": "Assault rifles",
    "SALW-4": "Sub-machine guns",
    "SALW-5": "Light machine guns",
    "SALW-6": "Heavy machine guns",
    "SALW-7": "Grenade launchers",
    "SALW-8": "Portable anti-tank guns",
    "SALW-9": "Recoilless rifles",
    "SALW-10": "Portable anti-tank missile launchers and rocket systems",
    "SALW-11": "Mortars of calibres less than 75 mm",
    "SALW-12": "Man-portable air-defence systems (MANPADS)",
    "SALW-13": "Other small arms and light weapons",
    "AMMO": "Ammunition",
    "PARTS": "Parts and components",
    "ACC": "Accessories",
}
END_USER_KINDS = ("government", "armed_forces", "police", "commercial", "other")

# Compact codes are positions in these tuples, 1-based; never reorder, only append.
_CATEGORY_CODE = {name: code for code, name in enumerate(CATEGORIES, start=1)}
_CATEGORY_NAME = dict(enumerate(CATEGORIES, start=1))
_KIND_CODE = {name: code for code, name in enumerate(END_USER_KINDS, start=1)}
_KIND_NAME = dict(enumerate(END_USER_KINDS, start=1))

_TOP_KEYS = frozenset("vnlabscedtgux") | {"r"}
# Exactly what "two ASCII capital letters" admits, as one set lookup on the hot path.
_COUNTRY_CODES = frozenset(a + b for a in string.ascii_uppercase for b in string.ascii_uppercase)
_CURRENCY_CODES = frozenset(a + b + c for a in string.ascii_uppercase
                            for b in string.ascii_uppercase for c in string.ascii_uppercase)
_REQUIRED_KEYS = frozenset("vnlabscedgux")
_is_value = re.compile(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?").fullmatch
_READABLE_KEYS = {
    "": {"schema", "number", "licence_number", "authority", "broker", "supplier", "consignees",
         "end_user", "destination", "transit", "goods", "end_use", "no_reexport", "dvc_required"},
    "authority": {"name", "country"},
    "broker": {"name", "registration_number", "country"},
    "party": {"name", "address", "country"},
    "end_user": {"name", "address", "country", "kind"},
    "goods": {"line", "description", "category", "quantity", "unit", "value", "currency"},
}


@cache
def json_schema() -> dict[str, Any]:
    """The published JSON Schema of the compact form."""
    text = resources.files(__package__).joinpath("schemas/euc-v1.json").read_text("utf-8")
    return json.loads(text)


def to_cbor_obj(readable: dict[str, Any]) -> dict[str, Any]:
    """Compact form of a readable content dict; MalformedError names the first bad field."""
    try:
        compact = _compact(readable)
    except (KeyError, TypeError, AttributeError) as exc:
        raise _bad(None, f"content is missing a field or has a wrong type: {exc!r}") from exc
    validate(compact)
    return compact


def from_cbor_obj(obj: Any) -> dict[str, Any]:
    """Readable form of a compact content map, validated strictly."""
    validate(obj)
    return readable(obj)


def validate(obj: Any) -> None:
    """Raise MalformedError unless obj is a schema-1 compact content map.

    Hand-written rather than jsonschema, and with the small checks inlined: it runs on the
    verification hot path, once per certificate checked. The version comes first: a content
    map of another version is not read any further (content_version_unsupported).
    """
    if type(obj) is not dict:
        raise _bad(None, "content is not a map")
    version = obj.get("v")
    if version != SCHEMA_VERSION or type(version) is not int:
        _wrong_version(version)
    keys = obj.keys()
    if not keys >= _REQUIRED_KEYS or not keys <= _TOP_KEYS:
        raise _bad(None, "content keys do not match schema 1")
    if obj["x"] is not True:
        raise _bad("x", "the non-re-export undertaking (x) must be true")
    if obj.get("r", True) is not True:
        raise _bad("r", "dvc_required (r) is written only when true")
    for key in "nlu":
        _text(obj[key], key)
    _country(obj["d"], "d")
    authority = _tuple(obj["a"], 2, "a")
    _text(authority[0], "a"), _country(authority[1], "a")
    broker = _tuple(obj["b"], 3, "b")
    _text(broker[0], "b"), _text(broker[1], "b"), _country(broker[2], "b")
    _party(obj["s"], "s")
    end_user = _tuple(obj["e"], 4, "e")
    _party(end_user[:3], "e")
    if type(end_user[3]) is not int or end_user[3] not in _KIND_NAME:
        raise _bad("e", f"e: end-user kind {end_user[3]!r} is not a known code")
    consignees = obj["c"]
    if type(consignees) is not list or not consignees:
        raise _bad("c", "c: expected a non-empty array of consignees")
    for party in consignees:
        _party(party, "c")
    if "t" in obj:
        transit = obj["t"]
        if type(transit) is not list or not transit:
            raise _bad("t", "transit (t) must be a non-empty array when present")
        for country in transit:
            _country(country, "t")
    _goods(obj["g"])


def _wrong_version(version: Any) -> None:
    if version is None:
        raise _bad("v", "content keys do not match schema 1")
    if type(version) is not int:
        raise _bad("v", f"content schema {version!r} is not {SCHEMA_VERSION}")
    raise MalformedError(f"content schema {version!r} is not {SCHEMA_VERSION}",
                         "content_version_unsupported", version=version)


def _bad(field: str | None, message: str) -> MalformedError:
    return MalformedError(message, "content_invalid", field=field)


def readable(obj: dict[str, Any]) -> dict[str, Any]:
    """Readable form of a compact map that validate() accepted."""
    authority, broker, end_user = obj["a"], obj["b"], obj["e"]
    return {
        "schema": obj["v"],
        "number": obj["n"],
        "licence_number": obj["l"],
        "authority": {"name": authority[0], "country": authority[1]},
        "broker": {"name": broker[0], "registration_number": broker[1], "country": broker[2]},
        "supplier": _readable_party(obj["s"]),
        "consignees": [_readable_party(party) for party in obj["c"]],
        "end_user": {**_readable_party(end_user), "kind": _KIND_NAME[end_user[3]]},
        "destination": obj["d"],
        "transit": list(obj.get("t", ())),
        "goods": [_readable_line(item) for item in obj["g"]],
        "end_use": obj["u"],
        "no_reexport": True,
        "dvc_required": "r" in obj,
    }


def _readable_party(party: list[str]) -> dict[str, str]:
    return {"name": party[0], "address": party[1], "country": party[2]}


def _readable_line(item: list[Any]) -> dict[str, Any]:
    line = {"line": item[0], "description": item[4], "category": _CATEGORY_NAME[item[1]],
            "quantity": item[2], "unit": item[3]}
    if len(item) == 7:
        line["value"], line["currency"] = item[5], item[6]
    return line


def _compact(readable: dict[str, Any]) -> dict[str, Any]:
    _reject_unknown(readable, "")
    for key in ("authority", "broker", "supplier", "end_user"):
        _reject_unknown(readable[key], key if key in _READABLE_KEYS else "party")
    for party in readable["consignees"]:
        _reject_unknown(party, "party")
    authority, broker, end_user = readable["authority"], readable["broker"], readable["end_user"]
    compact = {
        "v": readable["schema"],
        "n": readable["number"],
        "l": readable["licence_number"],
        "a": [authority["name"], authority["country"]],
        "b": [broker["name"], broker["registration_number"], broker["country"]],
        "s": _party_tuple(readable["supplier"]),
        "c": [_party_tuple(party) for party in readable["consignees"]],
        "e": [*_party_tuple(end_user), _KIND_CODE.get(end_user["kind"], end_user["kind"])],
        "d": readable["destination"],
        "t": list(readable.get("transit") or ()),
        "g": [_goods_tuple(line) for line in readable["goods"]],
        "u": readable["end_use"],
        "x": readable["no_reexport"],
        "r": readable["dvc_required"],
    }
    if not compact["t"]:
        del compact["t"]
    if compact["r"] is False:
        del compact["r"]
    return compact


def _reject_unknown(obj: dict[str, Any], kind: str) -> None:
    unknown = obj.keys() - _READABLE_KEYS[kind]
    if unknown:
        raise _bad(None, f"content {kind or 'top level'} has unknown keys {sorted(unknown)}")


def _party_tuple(party: dict[str, Any]) -> list[Any]:
    return [party["name"], party["address"], party["country"]]


def _goods_tuple(line: dict[str, Any]) -> list[Any]:
    _reject_unknown(line, "goods")
    category = _CATEGORY_CODE.get(line["category"], line["category"])
    item = [line["line"], category, line["quantity"], line["unit"], line["description"]]
    if "value" in line or "currency" in line:
        value = line["value"]
        item += [format(value, "f") if isinstance(value, Decimal) else value, line["currency"]]
    return item


def _tuple(value: Any, length: int, where: str) -> list[Any]:
    if type(value) is not list or len(value) != length:
        raise _bad(where, f"{where}: expected an array of {length} elements")
    return value


def _text(value: Any, where: str) -> None:
    if type(value) is not str or not value:
        raise _bad(where, f"{where}: expected non-empty text")


def _country(value: Any, where: str) -> None:
    if type(value) is not str or value not in _COUNTRY_CODES:
        raise _bad(where, f"country {value!r} is not an ISO 3166-1 alpha-2 code")


def _party(value: Any, where: str) -> None:
    if type(value) is not list or len(value) != 3:
        raise _bad(where, f"{where}: expected an array of 3 elements")
    name, address, country = value
    if type(name) is not str or not name or type(address) is not str or not address:
        raise _bad(where, f"{where}: expected non-empty text")
    if type(country) is not str or country not in _COUNTRY_CODES:
        raise _bad(where, f"country {country!r} is not an ISO 3166-1 alpha-2 code")


def _goods(value: Any) -> None:
    if type(value) is not list or not value:
        raise _bad("g", "g: expected a non-empty array of goods lines")
    previous = 0
    for item in value:
        if type(item) is not list or len(item) not in (5, 7):
            raise _bad("g", "g: a goods line is an array of 5 or 7 elements")
        number, category, quantity, unit, description = item[:5]
        if type(number) is not int or not previous < number <= MAX_INTEGER:
            raise _bad("g", "g: line numbers must be positive and increasing")
        if type(category) is not int or category not in _CATEGORY_NAME:
            raise _bad("g", f"g: line {number}: unknown category code {category!r}")
        if type(quantity) is not int or not 0 < quantity <= MAX_INTEGER:
            raise _bad("g", f"g: line {number}: quantity must be a positive integer")
        if type(unit) is not str or not unit or type(description) is not str or not description:
            raise _bad("g", "g: expected non-empty text")
        if len(item) == 7:
            amount, currency = item[5], item[6]
            if type(amount) is not str or not _is_value(amount):
                raise _bad("g", f"g: line {number}: value must be a decimal string like "
                                "1250.00")
            if type(currency) is not str or currency not in _CURRENCY_CODES:
                raise _bad("g", f"g: line {number}: currency must be an ISO 4217 code")
        previous = number
