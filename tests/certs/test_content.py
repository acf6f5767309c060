import copy
from decimal import Decimal

import jsonschema
import pytest

from certs import content as euc_content
from certs.content import from_cbor_obj, json_schema, to_cbor_obj
from certs.errors import MalformedError


def test_round_trip_gives_back_the_readable_form(content):
    assert from_cbor_obj(to_cbor_obj(content)) == content


def test_the_compact_form_uses_short_keys_codes_and_omits_defaults(content):
    content["dvc_required"] = False
    content["transit"] = []
    content["goods"][2].pop("value")
    content["goods"][2].pop("currency")
    compact = to_cbor_obj(content)
    assert set(compact) == set("vnlabscedgux")
    assert compact["e"][3] == 3  # police
    assert compact["g"][0][:4] == [1, 1, 1200, "pcs"]  # SALW-1
    assert compact["g"][1][1] == 14  # AMMO
    assert len(compact["g"][2]) == 5
    assert from_cbor_obj(compact) == content


def test_decimal_values_are_written_as_exact_strings(content):
    content["goods"][0]["value"] = Decimal("540000.50")
    assert to_cbor_obj(content)["g"][0][5] == "540000.50"


def test_every_category_and_kind_round_trips(content):
    for code in euc_content.CATEGORIES:
        for kind in euc_content.END_USER_KINDS:
            content["goods"][0]["category"] = code
            content["end_user"]["kind"] = kind
            assert from_cbor_obj(to_cbor_obj(content)) == content


def test_the_published_schema_accepts_what_we_encode(content):
    schema = json_schema()
    assert schema["$id"] == euc_content.SCHEMA_ID
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(to_cbor_obj(content), schema)
    content["dvc_required"] = False
    content["transit"] = []
    del content["goods"][0]["value"], content["goods"][0]["currency"]
    jsonschema.validate(to_cbor_obj(content), schema)


def test_every_compact_key_is_described_in_the_schema():
    properties = json_schema()["properties"]
    assert all(properties[key].get("description") for key in properties)


def _mutate(path, value):
    def apply(compact):
        target = compact
        for step in path[:-1]:
            target = target[step]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return apply


BAD_COMPACT = {
    "schema version 2": _mutate(["v"], 2),
    "schema version true": _mutate(["v"], True),
    "missing number": _mutate(["n"], KeyError),
    "unknown key": _mutate(["z"], 1),
    "empty name": _mutate(["b", 0], ""),
    "country lower case": _mutate(["s", 2], "de"),
    "country digits": _mutate(["s", 2], "D1"),
    "unknown kind": _mutate(["e", 3], 9),
    "kind as text": _mutate(["e", 3], "police"),
    "party too short": _mutate(["s"], ["x", "y"]),
    "no consignees": _mutate(["c"], []),
    "unknown category": _mutate(["g", 0, 1], 17),
    "quantity zero": _mutate(["g", 0, 2], 0),
    "quantity bool": _mutate(["g", 0, 2], True),
    "line numbers repeat": _mutate(["g", 1, 0], 1),
    "value as float": _mutate(["g", 0, 5], 540000.0),
    "value with exponent": _mutate(["g", 0, 5], "5E5"),
    "currency lower case": _mutate(["g", 0, 6], "eur"),
    "goods line of 6": _mutate(["g", 0], [1, 1, 1, "pcs", "x", "1"]),
    "empty transit written": _mutate(["t"], []),
    "undertaking false": _mutate(["x"], False),
    "dvc written false": _mutate(["r"], False),
    "no goods": _mutate(["g"], []),
}


@pytest.mark.parametrize("name", BAD_COMPACT)
def test_the_decoder_refuses_wrong_types_and_missing_fields(content, name):
    compact = copy.deepcopy(to_cbor_obj(content))
    BAD_COMPACT[name](compact)
    with pytest.raises(MalformedError):
        from_cbor_obj(compact)


@pytest.mark.parametrize("obj", [None, [], "text", {1: 2}, {"v": 1}])
def test_the_decoder_refuses_things_that_are_not_content(obj):
    with pytest.raises(MalformedError):
        from_cbor_obj(obj)


def test_the_encoder_names_the_problem_in_readable_input(content):
    content["end_user"]["kind"] = "militia"
    with pytest.raises(MalformedError, match="kind"):
        to_cbor_obj(content)
    del content["end_user"]
    with pytest.raises(MalformedError, match="end_user"):
        to_cbor_obj(content)


def test_the_encoder_refuses_unknown_readable_keys(content):
    content["goods"][0]["colour"] = "black"
    with pytest.raises(MalformedError, match="colour"):
        to_cbor_obj(content)
