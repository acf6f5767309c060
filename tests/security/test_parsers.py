"""Every parser of outside input fails in its own documented way, never with a crash:
QR payloads at the API, revocation lists, the UN list, and uploaded photos."""

from __future__ import annotations

import contextlib
import io
import zlib
from importlib import resources

import base45
import cbor2
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from broker_registry.screening.unlist import UnListError, parse_un_list
from certs.cose import sign1
from certs.errors import RevocationListError
from certs.revocation_list import parse_revocation_list
from tests.certs.factories import NOW, make_authority

FAST = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


def mutations(seed: bytes):
    """A valid input with some bytes flipped, cut, repeated or inserted."""

    @st.composite
    def mutate(draw):
        data = bytearray(seed)
        for _ in range(draw(st.integers(1, 4))):
            where = draw(st.integers(0, max(len(data) - 1, 0)))
            kind = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "repeat"]))
            if kind == "flip" and data:
                data[where] ^= draw(st.integers(1, 255))
            elif kind == "cut":
                del data[where:where + draw(st.integers(1, 16))]
            elif kind == "insert":
                data[where:where] = draw(st.binary(min_size=1, max_size=16))
            elif kind == "truncate":
                del data[where:]
            else:
                data[where:where] = data[where:where + draw(st.integers(1, 64))] * 3
        return bytes(data)

    return mutate()


# --- QR payloads, through POST /api/v1/verify -----------------------------------------------

def _payload_of(cose: bytes) -> str:
    return "EUC1:" + base45.b45encode(zlib.compress(cose)).decode()


@pytest.fixture
def verifier(api_as, certificate):
    api = api_as("customs")
    api.genuine = certificate["qr_payload"]
    return api


def _verify(api, payload):
    response = api.post("/api/v1/verify", json={"payload": payload})
    assert response.status_code in (200, 413, 422), (payload[:80], response.status_code)
    if response.status_code == 200:
        assert response.get_json()["result"] in {"VALID", "MALFORMED", "BAD_SIGNATURE",
                                                  "UNKNOWN_SIGNER", "REVOKED", "SUSPENDED",
                                                  "EXPIRED", "NOT_YET_VALID", "EXHAUSTED"}
    else:
        assert response.content_type == "application/problem+json"
    return response


def test_verify_never_fails_on_text(verifier):
    @FAST
    @given(st.one_of(st.text(max_size=300),
                     st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
                             max_size=600).map(lambda t: "EUC1:" + t)))
    @example("EUC1:")
    @example("EUC1:" + "0" * 8000)
    def run(text):
        _verify(verifier, text)

    run()


def test_verify_never_fails_on_a_mutated_genuine_payload(verifier):
    genuine = verifier.genuine
    assert _verify(verifier, genuine).get_json()["result"] == "VALID"
    cose = zlib.decompress(base45.b45decode(genuine.removeprefix("EUC1:")))

    @FAST
    @given(st.one_of(mutations(genuine.encode()).map(lambda b: b.decode("latin-1")),
                     mutations(cose).map(_payload_of)))
    def run(payload):
        answer = _verify(verifier, payload)
        if answer.status_code == 200 and payload != genuine:
            assert answer.get_json()["result"] != "VALID" or \
                zlib.decompress(base45.b45decode(payload[5:])) == cose

    run()


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_verify_never_fails_on_signed_nonsense(verifier, app, db):
    """Validly signed by our own key, but with any CBOR inside: the content checks, not the
    signature, must refuse it."""
    from broker_registry.keys.authority import key_store
    from broker_registry.keys.service import active_signer

    with app.app_context():
        signer = active_signer(db, key_store())
    key, kid = signer.private_key, signer.kid

    cbor_values = st.recursive(
        st.none() | st.booleans() | st.integers(-2**64, 2**64) | st.text(max_size=20)
        | st.binary(max_size=20),
        lambda children: st.lists(children, max_size=4)
        | st.dictionaries(st.integers(-70002, 10) | st.text(max_size=5), children, max_size=6),
        max_leaves=20)
    claims = st.fixed_dictionaries({}, optional={
        1: st.text(max_size=10), 4: st.integers(-2**40, 2**40), 5: st.integers(-2**40, 2**40),
        6: st.integers(-2**40, 2**40), 7: st.binary(max_size=20), -70001: cbor_values})

    @FAST
    @given(st.one_of(claims, cbor_values))
    def run(body):
        _verify(verifier, _payload_of(sign1(cbor2.dumps(body), kid=kid, key=key)))

    run()


# --- The revocation list parser ------------------------------------------------------------

@pytest.fixture(scope="module")
def authority():
    return make_authority()


def _signed_list(authority, payload) -> bytes:
    from certs import pki

    return sign1(cbor2.dumps(payload), kid=pki.kid(authority.dsc), key=authority.dsc_key)


GENUINE_LIST = {"authority": "XX-NCA", "sequence": 3, "base": 0, "issued_at": NOW,
                "next_update": NOW + 3600,
                "entries": [{"h": bytes(16), "s": "revoked", "r": 1, "at": NOW - 5, "seq": 1}],
                "revoked_signers": [bytes(8)]}


def _parses_or_refuses(data, trust):
    with contextlib.suppress(RevocationListError):
        parse_revocation_list(data, trust=trust)


def test_revocation_list_random_and_mutated_bytes(authority):
    trust = authority.trust()
    genuine = _signed_list(authority, GENUINE_LIST)
    parse_revocation_list(genuine, trust=trust)

    @FAST
    @given(st.one_of(st.binary(max_size=400), mutations(genuine)))
    def run(data):
        _parses_or_refuses(data, trust)

    run()


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_revocation_list_signed_but_malformed_payloads(authority):
    trust = authority.trust()
    anything = st.recursive(
        st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats()
        | st.text(max_size=10) | st.binary(max_size=20),
        lambda children: st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=4) | st.integers(), children, max_size=4),
        max_leaves=12)
    entry = st.fixed_dictionaries({"h": anything | st.binary(min_size=16, max_size=16),
                                   "s": anything | st.sampled_from(["revoked", "active"]),
                                   "r": anything, "at": anything, "seq": anything})
    field_values = {"authority": anything, "sequence": anything, "base": anything,
                    "issued_at": anything, "next_update": anything,
                    "entries": st.lists(entry | anything, max_size=3),
                    "revoked_signers": st.lists(anything, max_size=3)}

    @st.composite
    def bent(draw):
        payload = dict(GENUINE_LIST)
        for name in draw(st.sets(st.sampled_from(sorted(field_values)), min_size=1)):
            payload[name] = draw(field_values[name])
        return payload

    from certs import pki

    def signed_raw(payload: bytes) -> bytes:
        return sign1(payload, kid=pki.kid(authority.dsc), key=authority.dsc_key)

    @FAST
    @given(st.one_of(bent().map(lambda p: _signed_list(authority, p)),
                     anything.map(lambda p: _signed_list(authority, p)),
                     mutations(cbor2.dumps(GENUINE_LIST)).map(signed_raw)))
    def run(data):
        _parses_or_refuses(data, trust)

    run()


# --- The UN list ---------------------------------------------------------------------------

SAMPLE = resources.files("broker_registry.screening").joinpath("data/un_sample.xml").read_bytes()
TAGS = ["CONSOLIDATED_LIST", "INDIVIDUALS", "INDIVIDUAL", "ENTITIES", "ENTITY", "DATAID",
        "FIRST_NAME", "SECOND_NAME", "REFERENCE_NUMBER", "LISTED_ON", "NATIONALITY", "VALUE",
        "INDIVIDUAL_ALIAS", "ALIAS_NAME", "INDIVIDUAL_ADDRESS", "COUNTRY", "UN_LIST_TYPE",
        "NAME_ORIGINAL_SCRIPT", "ENTITY_ADDRESS", "ENTITY_ALIAS"]


def _xml(tree) -> str:
    tag, children = tree
    if isinstance(children, str):
        from xml.sax.saxutils import escape

        return f"<{tag}>{escape(children)}</{tag}>"
    return f"<{tag}>{''.join(_xml(c) for c in children)}</{tag}>"


xml_trees = st.recursive(
    st.tuples(st.sampled_from(TAGS), st.text(max_size=30)),
    lambda kids: st.tuples(st.sampled_from(TAGS), st.lists(kids, max_size=5)),
    max_leaves=25)


def _un_parses_or_refuses(data):
    with contextlib.suppress(UnListError):
        parse_un_list(data)


def test_un_list_random_mutated_and_hostile(app):
    parse_un_list(SAMPLE)

    @FAST
    @given(st.one_of(st.binary(max_size=300), mutations(SAMPLE),
                     xml_trees.map(lambda t: _xml(("CONSOLIDATED_LIST", [t])).encode()),
                     xml_trees.map(lambda t: _xml(t).encode())))
    @example(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CONSOLIDATED_LIST>'
             b"&a;</CONSOLIDATED_LIST>")
    @example(b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><CONSOLIDATED_LIST/>')
    @example(b"<CONSOLIDATED_LIST>" + b"<INDIVIDUALS>" * 5000)
    def run(data):
        with app.app_context():
            _un_parses_or_refuses(data)

    run()


# --- Uploaded photos, through POST /api/v1/verify/image -----------------------------------

def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _upload(api, data: bytes, name: str = "photo.png"):
    return api.post("/api/v1/verify/image",
                    data={"image": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_hostile_images_are_refused_with_a_422(verifier):
    good = _png(Image.new("L", (64, 64), 255))
    out = io.BytesIO()
    Image.new("RGB", (64, 64)).save(out, format="JPEG")
    jpeg = out.getvalue()
    gif = io.BytesIO()
    Image.new("L", (8, 8)).save(gif, format="GIF")
    hostile = {
        "blank picture": good,
        "truncated png": good[: len(good) // 2],
        "truncated jpeg": jpeg[: len(jpeg) // 2],
        "header only": good[:33],
        "not an image": b"%PDF-1.7 this is not a photo",
        "empty": b"",
        "gif": gif.getvalue(),
        "over 40 megapixels": _png(Image.new("1", (7000, 7000))),
        "decompression bomb": _png(Image.new("1", (20000, 20000))),
    }
    for name, data in hostile.items():
        response = _upload(verifier, data)
        assert response.status_code == 422, (name, response.status_code)
        assert response.get_json()["errors"][0]["field"] == "image", name


def test_an_image_over_the_limit_is_a_413(verifier):
    response = _upload(verifier, b"\x89PNG" + b"\0" * (8 * 1024 * 1024 + 10))
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_random_and_mutated_images_never_crash(verifier):
    from broker_registry.customs.images import read_qr
    from broker_registry.customs.qr_reader import QrReader
    from broker_registry.errors import ValidationFailed

    seed = _png(Image.new("L", (40, 40), 128))

    @settings(max_examples=100, deadline=None, database=None, derandomize=True)
    @given(st.one_of(st.binary(max_size=200), mutations(seed)))
    def run(data):
        with pytest.raises(ValidationFailed):
            read_qr(data, QrReader(2.0))

    run()


def test_a_photo_of_a_genuine_code_verifies(verifier, certificate, regulators):
    png = regulators[0].get(f"/api/v1/certificates/{certificate['number']}/qr.png").data
    answer = _upload(verifier, png)
    assert answer.status_code == 200 and answer.get_json()["result"] == "VALID"
