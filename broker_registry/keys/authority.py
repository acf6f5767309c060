"""The issuing authority and its key store, as configured for this app."""

from __future__ import annotations

from flask import current_app

from certs.trust_list import Authority

from .store import KeyStore


def authority() -> Authority:
    settings = current_app.config["SETTINGS"]
    return Authority(settings.authority_code, settings.authority_name, settings.authority_country)


def key_store() -> KeyStore:
    settings = current_app.config["SETTINGS"]
    return KeyStore(settings.data_dir / "keys", settings.key_passphrase)
