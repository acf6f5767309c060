"""X.509 for the authority: the root, document signer certificates (DSCs), and key files.

Everything is ECDSA P-256, signed deterministically (RFC 6979). The root only signs DSCs; a
DSC signs certificates and revocation lists and is identified in COSE by its kid, the first 8
bytes of SHA-256 over its DER.

What makes a DSC trusted (docs/spec/euc-qr.md section 7): the pinned root signed it, it is
not a CA, its key usage is digital signatures, its key is P-256. Its validity period bounds
when it may sign: a certificate's iat must fall within it. Verification time is not compared
with it, so what a retired or expired DSC signed stays valid until the certificate's own exp.
"""

import hashlib
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .errors import KeyFileError

ROOT_VALIDITY = timedelta(days=20 * 365)
DSC_VALIDITY = timedelta(days=5 * 365)


def generate_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def kid(cert: x509.Certificate) -> bytes:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()[:8]


def make_root(
    key: ec.EllipticCurvePrivateKey,
    *,
    common_name: str,
    country: str,
    organization: str | None = None,
    not_before: datetime | None = None,
    validity: timedelta = ROOT_VALIDITY,
    serial_number: int | None = None,
) -> x509.Certificate:
    """A self-signed CA certificate that may sign DSCs and nothing below them."""
    name = _name(common_name, country, organization)
    start = not_before or datetime.now(UTC)
    public_key = key.public_key()
    builder = (
        _base_builder(name, name, public_key, start, validity, serial_number)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), False)
    )
    return builder.sign(key, hashes.SHA256(), ecdsa_deterministic=True)


def make_dsc(
    root_key: ec.EllipticCurvePrivateKey,
    root_cert: x509.Certificate,
    signer_public_key: ec.EllipticCurvePublicKey,
    *,
    common_name: str,
    not_before: datetime | None = None,
    validity: timedelta = DSC_VALIDITY,
    serial_number: int | None = None,
    key_usage: x509.KeyUsage | None = None,
) -> x509.Certificate:
    """A document signer certificate: an end-entity certificate for digital signatures only.
    (`key_usage` other than that is for making test vectors of DSCs a verifier refuses.)"""
    country = root_cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    organization = root_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    subject = _name(
        common_name,
        str(country[0].value) if country else None,
        str(organization[0].value) if organization else None,
    )
    start = not_before or datetime.now(UTC)
    builder = (
        _base_builder(subject, root_cert.subject, signer_public_key, start, validity,
                      serial_number)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage or _key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_cert.public_key()), False
        )
    )
    return builder.sign(root_key, hashes.SHA256(), ecdsa_deterministic=True)


def verify_issued_by(dsc: x509.Certificate, root_cert: x509.Certificate) -> bool:
    """True when root_cert's key signed dsc and dsc is an end-entity certificate."""
    return dsc_problem(dsc, root_cert) in (None, "key_usage", "not_p256")


# The extensions of a DSC that a verifier reads (docs/spec/euc-qr.md section 7).
_READ_EXTENSIONS = (x509.ExtensionOID.BASIC_CONSTRAINTS, x509.ExtensionOID.KEY_USAGE)


def dsc_problem(dsc: x509.Certificate, root_cert: x509.Certificate) -> str | None:
    """Why dsc cannot be a trusted document signer under root_cert, as the `why` of the
    signer_not_trusted reason code; None when it can."""
    try:
        dsc.verify_directly_issued_by(root_cert)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return "not_signed_by_root"
    try:
        extensions = dsc.extensions
    except (ValueError, x509.DuplicateExtension):  # an unreadable or a duplicate extension
        return "unreadable"
    if any(ext.critical and ext.oid not in _READ_EXTENSIONS for ext in extensions):
        return "critical_extension"  # RFC 5280 4.2: one a verifier does not read
    try:
        if extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            return "ca_certificate"
    except x509.ExtensionNotFound:
        pass
    try:
        usage = extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return "key_usage"
    if not usage.digital_signature or usage.key_cert_sign:
        return "key_usage"
    try:
        key = dsc.public_key()
    except (ValueError, UnsupportedAlgorithm):  # a point off its curve, a key of no known type
        return "not_p256"
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        return "not_p256"
    return None


def certificate_der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def certificate_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from PEM or DER bytes."""
    if data.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def save_private_key(
    path: str | os.PathLike[str], key: ec.EllipticCurvePrivateKey, passphrase: bytes | str
) -> None:
    """Write key as passphrase-encrypted PKCS#8 PEM, mode 0600, replacing path atomically."""
    secret = _passphrase_bytes(passphrase)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret),
    )
    write_private_file(Path(path), pem)


def load_private_key(
    path: str | os.PathLike[str], passphrase: bytes | str
) -> ec.EllipticCurvePrivateKey:
    """Read a key written by save_private_key. Errors never contain the passphrase."""
    path = Path(path)
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read private key file {path}: {exc.strerror}") from None
    try:
        key = serialization.load_pem_private_key(pem, _passphrase_bytes(passphrase))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # `from None`: the library's own message and arguments stay out of tracebacks and logs.
        raise KeyFileError(
            f"cannot open private key file {path}: wrong passphrase or not an encrypted "
            "PKCS#8 key"
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise KeyFileError(f"private key file {path} does not hold a P-256 key")
    return key


def _passphrase_bytes(passphrase: bytes | str) -> bytes:
    secret = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    if not secret:
        raise KeyFileError("the private key passphrase is empty")
    return secret


def write_private_file(path: Path, data: bytes) -> None:
    """Write the whole of data in place of path, or nothing: readable by the owner only."""
    # mkstemp creates the file 0600 before any byte is written, in the target's directory
    # so that os.replace is a same-filesystem atomic rename.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _name(common_name: str, country: str | None, organization: str | None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if country:
        attributes.insert(0, x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    return x509.Name(attributes)


def _base_builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    start: datetime,
    validity: timedelta,
    serial_number: int | None = None,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(serial_number or x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + validity)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
