import time
import zlib

import base45
import pytest
from hypothesis import given
from hypothesis import strategies as st

from certs.b45 import ALPHABET, b45decode, b45encode
from certs.errors import MalformedError
from certs.qrtext import MAX_COSE_LENGTH, decode_qr_text, encode_qr_text


@given(st.binary(max_size=2000))
def test_base45_round_trip_matches_the_reference_package(data):
    text = b45encode(data)
    assert text == base45.b45encode(data).decode("ascii")
    assert b45decode(text) == data


@given(st.text(alphabet=ALPHABET, max_size=300))
def test_base45_decoder_agrees_with_the_reference_package_on_any_alphabet_text(text):
    try:
        expected = base45.b45decode(text)
    except ValueError:
        with pytest.raises(MalformedError):
            b45decode(text)
    else:
        assert b45decode(text) == expected


@pytest.mark.parametrize(
    "text", ["GGW", "ZZZ", "FGW" + "GGW", "::", "A", "ABCD", "ab", "AB\u00e9", "AB\n"]
)
def test_base45_decoder_rejects_values_out_of_range_bad_lengths_and_characters(text):
    with pytest.raises(MalformedError):
        b45decode(text)


def test_qr_text_round_trip():
    assert decode_qr_text(encode_qr_text(b"\xd2\x84hello")) == b"\xd2\x84hello"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("HC1:6BFOXN", "start with EUC1:"),
        ("euc1:6BFOXN", "start with EUC1:"),
        ("EUC1:6BF", "zlib"),
        ("EUC1:" + b45encode(zlib.compress(b"x")[:-2]), "truncated"),
        ("EUC1:" + b45encode(zlib.compress(b"x") + b"\x00"), "trailing"),
        ("EUC1:" + "A" * 9000, "longer than"),
    ],
    ids=["other prefix", "lower case", "bad base45", "truncated", "trailing", "too long"],
)
def test_qr_text_defects_are_malformed_with_a_reason(text, message):
    with pytest.raises(MalformedError, match=message):
        decode_qr_text(text)


def test_a_zlib_bomb_is_refused_quickly_without_inflating_it():
    bomb = zlib.compress(b"\x00" * (5 * 1024 * 1024), 9)  # deflate tops out near 1:1000
    text = "EUC1:" + b45encode(bomb)
    assert len(text) < 8192
    started = time.perf_counter()
    with pytest.raises(MalformedError, match=f"beyond {MAX_COSE_LENGTH}"):
        decode_qr_text(text)
    assert time.perf_counter() - started < 0.05
