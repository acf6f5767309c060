"""The encoding rules of signed CBOR (spec section 3): the fast check agrees with the reference
walk on generated inputs, and each rule is named by its code."""

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certs import strict_cbor
from certs.errors import MalformedError

PART = "the CWT payload"


def _head(major: int, value: int, preferred: bool) -> bytes:
    widths = [w for w in (0, 1, 2, 4, 8) if value < (24 if w == 0 else 1 << (8 * w))]
    width = widths[0] if preferred else widths[-1]
    if width == 0:
        return bytes((major << 5 | value,))
    return bytes((major << 5 | {1: 24, 2: 25, 4: 26, 8: 27}[width],)) + value.to_bytes(width,
                                                                                     "big")


@st.composite
def items(draw, depth: int = 0) -> bytes:
    """One CBOR item, mostly following the rules, sometimes breaking one of them."""
    kinds = ["int", "text", "bytes", "simple", "tag", "float"]
    if depth < 3:
        kinds += ["array", "map"] * 2
    kind = draw(st.sampled_from(kinds))
    preferred = draw(st.integers(0, 9)) > 0
    if kind == "int":
        return _head(draw(st.sampled_from([0, 1])), draw(st.integers(0, 2**64 - 1)), preferred)
    if kind in ("text", "bytes"):
        data = draw(st.text(max_size=30)).encode() if kind == "text" else draw(
            st.binary(max_size=30))
        if kind == "text" and draw(st.integers(0, 19)) == 0:
            data += b"\xff"  # not UTF-8
        return _head(3 if kind == "text" else 2, len(data), preferred) + data
    if kind == "simple":
        return bytes((draw(st.sampled_from([0xF4, 0xF5, 0xF5, 0xF6, 0xF7, 0xE0])),))
    if kind == "tag":
        return _head(6, draw(st.sampled_from([1, 2, 258, 1234])), True) + draw(items(depth + 1))
    if kind == "float":
        return b"\xfb" + draw(st.binary(min_size=8, max_size=8))
    children = draw(st.lists(items(depth + 1), max_size=4))
    if kind == "map":
        keys = draw(st.lists(st.sampled_from([b"\x01", b"\x04", b"\x61a", b"\x61b", b"\x20"]),
                             min_size=len(children), max_size=len(children)))
        children = [k + v for k, v in zip(keys, children, strict=True)]
    major = 4 if kind == "array" else 5
    if draw(st.integers(0, 14)) == 0:  # indefinite length
        return bytes((major << 5 | 31,)) + b"".join(children) + b"\xff"
    return _head(major, len(children), preferred) + b"".join(children)


_RULES = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow  # seconds: make test runs it, make check does not
@_RULES
@given(items(), st.binary(max_size=2))
def test_the_fast_check_and_the_reference_walk_agree(item, tail):
    data = item + tail
    defect = strict_cbor.first_defect(data, PART)
    try:
        value = strict_cbor.loads(data, PART)
    except MalformedError as refused:
        assert defect is not None, data.hex()
        assert (refused.code, str(refused)) == (defect.code, str(defect))
        return
    # Accepted: either it follows every rule, or the only rule broken is an item type that
    # cbor2 writes back as it read it (a float, null, a tag), which the schemas refuse.
    assert defect is None or defect.code == "cbor_item_not_allowed", (data.hex(), defect)
    assert cbor2.dumps(value) == data


@pytest.mark.parametrize(("hex_", "code", "words"), [
    ("a20102" + "0103", "duplicate_key", "duplicate map key 1"),
    ("a2616101" + "616102", "duplicate_key", "duplicate map key 'a'"),
    ("1817", "cbor_not_preferred", "23 in 2 bytes"),
    ("5900" + "02" + "abcd", "cbor_not_preferred", "not in its shortest form"),
    ("9f01ff", "cbor_not_preferred", "indefinite-length"),
    ("c11a6a4e5e00", "cbor_item_not_allowed", "a tag"),
    ("f6", "cbor_item_not_allowed", "null"),
    ("f7", "cbor_item_not_allowed", "undefined"),
    ("f93c00", "cbor_item_not_allowed", "a float"),
    ("e0", "cbor_item_not_allowed", "a simple value"),
    ("62ff00", "cbor_invalid", "not valid UTF-8"),
    ("0101", "cbor_invalid", "trailing bytes"),
    ("8201", "cbor_invalid", "ends inside an item"),
    ("1c", "cbor_invalid", "reserved additional information 28"),
    ("ff", "cbor_invalid", "a break outside"),
])
def test_each_rule_has_its_code(hex_, code, words):
    defect = strict_cbor.first_defect(bytes.fromhex(hex_), PART)
    assert defect.code == code and words in str(defect)
    assert defect.params["part"] == "payload"
    if hex_ in ("f6", "f7", "e0"):  # cbor2 writes these back alike: left to the schemas
        assert strict_cbor.loads(bytes.fromhex(hex_), PART) in (
            None, cbor2.undefined, cbor2.CBORSimpleValue(0))
        return
    with pytest.raises(MalformedError) as refused:
        strict_cbor.loads(bytes.fromhex(hex_), PART)
    assert (refused.value.code, str(refused.value)) == (code, str(defect))


def test_a_duplicate_key_is_named_and_true_is_not_the_key_1():
    assert strict_cbor.first_defect(bytes.fromhex("a2f501f502"), PART).params["key"] == "f5"
    # true and 1 are two keys (the claims' schema then refuses true)
    assert strict_cbor.first_defect(bytes.fromhex("a201f5f501"), PART) is None


def test_deeper_than_the_limit_is_refused_without_recursion_trouble():
    deep = b"\x81" * 5000 + b"\x00"
    assert strict_cbor.first_defect(deep, PART).code == "cbor_invalid"
    with pytest.raises(MalformedError):
        strict_cbor.loads(deep, PART)


def test_keys_cbor_tells_apart_stay_apart_though_python_merges_them():
    """1 and true are two keys in CBOR (not a duplicate); cbor2 makes one of them."""
    value = strict_cbor.loads(bytes.fromhex("a20102f503"), PART)
    assert len(value) == 2 and value[1] == 2
    assert [repr(key) for key in value] == ["1", "f5"]
