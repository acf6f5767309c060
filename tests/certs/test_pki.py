import stat

import pytest
from cryptography import x509

from certs import pki
from certs.errors import KeyFileError

PASSPHRASE = "never-print-me-4711"


def test_root_is_a_ca_that_only_signs_certificates(authority):
    root = authority.root_cert
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = root.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature


def test_dsc_is_an_end_entity_for_signatures_signed_by_the_root(authority):
    dsc = authority.dsc
    assert not dsc.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = dsc.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and not usage.key_cert_sign
    assert (dsc.not_valid_after_utc - dsc.not_valid_before_utc).days == 5 * 365
    assert pki.verify_issued_by(dsc, authority.root_cert)


def test_a_dsc_from_another_root_is_not_issued_by_ours(authority):
    other_key = pki.generate_key()
    other_root = pki.make_root(other_key, common_name="XX-NCA Root", country="XX")
    foreign = pki.make_dsc(other_key, other_root, pki.generate_key().public_key(),
                           common_name="forged")
    assert not pki.verify_issued_by(foreign, authority.root_cert)
    assert not pki.verify_issued_by(authority.root_cert, authority.root_cert)  # a CA, not a DSC


def test_kid_is_the_first_8_bytes_of_sha256_over_the_der(authority):
    import hashlib

    der = pki.certificate_der(authority.dsc)
    assert pki.kid(authority.dsc) == hashlib.sha256(der).digest()[:8]
    assert pki.load_certificate(der) == pki.load_certificate(pki.certificate_pem(authority.dsc))


def test_private_key_file_round_trip_is_encrypted_and_0600(tmp_path):
    key = pki.generate_key()
    path = tmp_path / "dsc.key"
    pki.save_private_key(path, key, PASSPHRASE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in path.read_bytes()
    assert pki.load_private_key(path, PASSPHRASE).private_numbers() == key.private_numbers()
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_saving_replaces_an_existing_file_atomically(tmp_path):
    path = tmp_path / "dsc.key"
    path.write_text("old")
    path.chmod(0o644)
    pki.save_private_key(path, pki.generate_key(), PASSPHRASE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_wrong_passphrase_is_a_clear_error_without_the_passphrase(tmp_path):
    path = tmp_path / "dsc.key"
    pki.save_private_key(path, pki.generate_key(), PASSPHRASE)
    with pytest.raises(KeyFileError, match="wrong passphrase") as caught:
        pki.load_private_key(path, "guess-" + PASSPHRASE)
    assert PASSPHRASE not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_missing_key_file_is_a_clear_error(tmp_path):
    with pytest.raises(KeyFileError, match="cannot read"):
        pki.load_private_key(tmp_path / "absent.key", PASSPHRASE)
