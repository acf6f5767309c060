"""Fixtures for the certs tests: one authority (root and two DSCs) per session."""

import copy

import pytest

from tests.certs.factories import REALISTIC_CONTENT, Authority, issue, make_authority


@pytest.fixture(scope="session")
def authority() -> Authority:
    return make_authority()


@pytest.fixture
def content() -> dict:
    return copy.deepcopy(REALISTIC_CONTENT)


@pytest.fixture(scope="session")
def genuine(authority: Authority) -> str:
    """One certificate, valid at certs_factories.NOW, with a fixed cti."""
    return issue(authority, cti=bytes(range(16)))
