"""The reliability tests stand on the same records as the certificate and customs tests."""

from tests.certificates.conftest import (  # noqa: F401 - fixtures
    broker_api,
    certificate,
    customs,
    issue_certificate,
    keys,
    licence,
    register_broker,
    regulator,
    regulators,
)
