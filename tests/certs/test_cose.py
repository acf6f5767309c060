import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from pycose.keys import EC2Key
from pycose.keys.curves import P256
from pycose.messages import Sign1Message

from certs import cose, pki
from certs.errors import MalformedError
from certs.euc import CLAIM_EUC
from certs.qrtext import decode_qr_text
from tests.certs.factories import ISS


def _pycose_key(cert):
    numbers = cert.public_key().public_numbers()
    return EC2Key(crv=P256, x=numbers.x.to_bytes(32, "big"), y=numbers.y.to_bytes(32, "big"))


def test_an_independent_cose_implementation_verifies_our_certificate(authority, genuine):
    data = decode_qr_text(genuine)
    message = Sign1Message.decode(data)
    message.key = _pycose_key(authority.dsc)
    assert message.verify_signature()
    assert message.phdr  # alg and kid are protected
    claims = cbor2.loads(message.payload)
    assert claims[1] == ISS
    assert claims[7] == bytes(range(16))
    assert claims[CLAIM_EUC]["n"] == "EUC-XX-2026-000137"
    assert set(claims) == {1, 4, 5, 6, 7, CLAIM_EUC}


def test_the_wire_layout_is_exactly_the_spec(authority, genuine):
    tag = cbor2.loads(decode_qr_text(genuine))
    assert tag.tag == 18
    protected, unprotected, _payload, signature = tag.value
    assert cbor2.loads(protected) == {1: -7, 4: pki.kid(authority.dsc)}
    assert unprotected == {}
    assert len(signature) == 64


def test_sig_structure_is_the_cbor_of_the_rfc_array():
    assert cose.sig_structure(b"\xa0", b"x" * 300) == cbor2.dumps(
        ["Signature1", b"\xa0", b"", b"x" * 300]
    )


def test_sign_and_verify_round_trip_and_a_wrong_key_fails():
    key = pki.generate_key()
    message = cose.decode_sign1(cose.sign1(b"payload", kid=b"12345678", key=key))
    assert message.kid == b"12345678" and message.payload == b"payload"
    assert cose.verify_signature(message, key.public_key())
    assert not cose.verify_signature(message, ec.generate_private_key(ec.SECP256R1()).public_key())


def _sign1(protected=None, unprotected=None, signature=b"s" * 64, tag=18):
    protected = protected if protected is not None else cose.protected_header(b"k" * 8)
    body = [protected, {} if unprotected is None else unprotected, b"payload", signature]
    return cbor2.dumps(cbor2.CBORTag(tag, body) if tag else body)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_sign1(tag=None), "untagged"),
        (_sign1(tag=98), "tag 18"),
        (cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b""])), "tag 18"),
        (_sign1(unprotected={4: b"k" * 8}), "unprotected"),
        (_sign1(protected=cbor2.dumps({1: -35, 4: b"k" * 8})), "not ES256"),
        (_sign1(protected=cbor2.dumps({1: -7})), "exactly alg"),
        (_sign1(protected=cbor2.dumps({1: -7, 4: b"short"})), "8 bytes"),
        (_sign1(protected=cbor2.dumps([1, -7])), "not a map"),
        (_sign1(protected=b"\x18"), "not valid CBOR"),
        (_sign1(signature=b"s" * 63), "64"),
        (_sign1() + b"\x00", "nothing after"),
        (b"", "tag 18"),
        ("text", "bytes"),
    ],
    ids=str,
)
def test_the_decoder_refuses_every_other_layout(data, message):
    with pytest.raises(MalformedError, match=message):
        cose.decode_sign1(data)


def test_the_decoder_accepts_a_protected_header_in_another_key_order():
    data = _sign1(protected=cbor2.dumps({4: b"k" * 8, 1: -7}))
    assert cose.decode_sign1(data).kid == b"k" * 8


@pytest.mark.parametrize(
    ("alg", "shown"),
    [(-35, -35), ("ES256", "ES256"), (b"\x01", "4101"), (True, "f5"), ([1], "8101"),
     ({1: 2}, "a10102"),
     ({"n": 0, "g": 0}, "a2616e00616700")],  # keys in their order, as the browser shows them
    ids=str,
)
def test_an_unsupported_alg_is_named_as_itself_or_the_hex_of_its_encoding(alg, shown):
    with pytest.raises(MalformedError) as refused:
        cose.decode_sign1(_sign1(protected=cbor2.dumps({1: alg, 4: b"k" * 8})))
    assert (refused.value.code, refused.value.params) == ("alg_unsupported", {"alg": shown})
