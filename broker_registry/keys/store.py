"""The authority's key files in the data folder: the root, and one file per signer key.

Private keys are PKCS#8 encrypted with the passphrase from the settings (never the database),
written 0600. The root key signs signer certificates only; it is not needed to sign EUCs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from certs import pki


@dataclass(frozen=True)
class KeyStore:
    directory: Path
    passphrase: str

    @property
    def root_key_path(self) -> Path:
        return self.directory / "root.key.pem"

    @property
    def root_cert_path(self) -> Path:
        return self.directory / "root.crt.pem"

    def has_root(self) -> bool:
        return self.root_key_path.exists() and self.root_cert_path.exists()

    def create_root(self, *, common_name: str, country: str, organization: str) -> x509.Certificate:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = pki.generate_key()
        cert = pki.make_root(key, common_name=common_name, country=country,
                             organization=organization)
        pki.save_private_key(self.root_key_path, key, self.passphrase)
        self.root_cert_path.write_bytes(pki.certificate_pem(cert))
        return cert

    def root_certificate(self) -> x509.Certificate:
        return pki.load_certificate(self.root_cert_path.read_bytes())

    def new_signer(self, common_name: str) -> tuple[x509.Certificate, str]:
        """Make a signer key and its root-signed certificate; returns it and the key file name."""
        root_key = pki.load_private_key(self.root_key_path, self.passphrase)
        key = pki.generate_key()
        cert = pki.make_dsc(root_key, self.root_certificate(), key.public_key(),
                            common_name=common_name)
        name = f"signer-{pki.kid(cert).hex()}-{cert.serial_number:x}.key.pem"
        pki.save_private_key(self.directory / name, key, self.passphrase)
        return cert, name

    def signer_key(self, name: str):
        return pki.load_private_key(self.directory / Path(name).name, self.passphrase)
