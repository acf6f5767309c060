"""The browser's own decoders against their Python references, on many more inputs than whole
certificates reach: inflate (zlib's own refusals, the 65,536-byte bound) against
certs.qrtext.inflate, the strict CBOR decoder against certs.strict_cbor as the verifier uses
it, SHA-256 against hashlib."""

from __future__ import annotations

import hashlib
import zlib

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certs import strict_cbor
from certs.errors import MalformedError
from certs.qrtext import inflate
from tests.certs.factories import REALISTIC_CONTENT

from .conftest import b64
from .mutations import STRATEGIES, VALUES, edit, encode_map

pytestmark = pytest.mark.browser

RUN = """async ([inputs]) => {
  const { inflate } = await import("/static/js/euc1/inflate.js");
  const { decodeStrict } = await import("/static/js/euc1/cbor.js");
  const { sha256Sync } = await import("/static/js/euc1/sha256.js");
  const { toHex } = await import("/static/js/euc1/bytes.js");
  const outcome = (work) => {
    try {
      return ["ok", work()];
    } catch (error) {
      if (!error.code) return ["error", String(error)];
      return [error.code, error.params.part ?? null, error.params.key ?? null];
    }
  };
  return inputs.map(([kind, data]) => {
    const bytes = fromBase64(data);
    if (kind === "zlib") return outcome(() => toHex(inflate(bytes)));
    if (kind === "cbor") return outcome(() => { decodeStrict(bytes, "payload"); return null; });
    return ["ok", toHex(sha256Sync(bytes))];
  });
}"""
BATCH = 200
SETTINGS = settings(max_examples=5, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def python_zlib(data: bytes) -> list:
    try:
        return ["ok", inflate(data).hex()]
    except MalformedError as error:
        return [error.code, None, None]


def python_cbor(data: bytes) -> list:
    """As certs.verify meets it: loads, then the first defect when a typed check fails."""
    try:
        strict_cbor.loads(data, "the CWT payload")
        defect = strict_cbor.first_defect(data, "the CWT payload")
        if defect is not None:
            raise defect
    except MalformedError as error:
        return [error.code, error.params.get("part"), error.params.get("key")]
    return ["ok", None]


@st.composite
def streams(draw):
    size = draw(st.sampled_from([0, 1, 300, 2000, 65_535, 65_536, 65_537, 70_000]))
    data = draw(st.binary(max_size=64)) * (size // 64 + 1) if draw(st.booleans()) else bytes(size)
    packer = zlib.compressobj(draw(st.integers(0, 9)), zlib.DEFLATED, draw(st.sampled_from(
        (9, 12, 15))), 9, draw(st.sampled_from(STRATEGIES)))
    stream = packer.compress(data[:size]) + packer.flush()
    for _ in range(draw(st.integers(0, 3))):
        stream = edit(draw, stream, *draw(st.sampled_from(((0, 2), (0, None), (-8, None)))))
    return stream


@st.composite
def items(draw):
    if draw(st.booleans()):
        claims = {1: "XX-NCA", 6: 1, 5: 1, 4: 2, 7: b"x" * 16, -70001: REALISTIC_CONTENT}
        data = encode_map(list(claims.items()))
    else:
        data = cbor2.dumps(draw(VALUES))
    for _ in range(draw(st.integers(1, 4))):
        data = edit(draw, data)
    return data


@SETTINGS
@given(st.lists(streams(), min_size=BATCH, max_size=BATCH))
def test_inflate_refuses_and_bounds_as_zlib_does(verifier, streams):
    browser = verifier.evaluate(RUN, [[["zlib", b64(s)] for s in streams]])
    expected = [python_zlib(s) for s in streams]
    differ = [(s.hex(), p, b) for s, p, b in zip(streams, expected, browser, strict=True)
              if p != b]
    assert not differ, differ[0]


@SETTINGS
@given(st.lists(items(), min_size=BATCH, max_size=BATCH))
def test_the_cbor_decoder_names_the_first_defect_as_certs_does(verifier, items):
    browser = verifier.evaluate(RUN, [[["cbor", b64(i)] for i in items]])
    differ = [(i.hex(), p, b) for i, p, b in zip(items, map(python_cbor, items), browser,
                                                  strict=True) if p != b]
    assert not differ, differ[0]


@SETTINGS
@given(st.lists(st.binary(max_size=200), min_size=BATCH, max_size=BATCH))
def test_sha256_is_hashlib_s(verifier, inputs):
    browser = verifier.evaluate(RUN, [[["sha", b64(data)] for data in inputs]])
    assert browser == [["ok", hashlib.sha256(data).hexdigest()] for data in inputs]


def test_both_decoders_take_32_levels_of_nesting_and_refuse_33(verifier):
    levels = {depth: b"\x81" * depth + b"\x00" for depth in (32, 33)}
    browser = verifier.evaluate(RUN, [[["cbor", b64(data)] for data in levels.values()]])
    python = [python_cbor(data) for data in levels.values()]
    assert browser == python
    assert [answer[0] for answer in python] == ["ok", "cbor_invalid"]
