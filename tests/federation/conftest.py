from __future__ import annotations

import pytest

from tests.certs.federated import issuer
from tests.federation.partner import Partner


@pytest.fixture(scope="module")
def partner_keys():
    return issuer("PP-NCA")


@pytest.fixture
def partner(partner_keys):
    served = Partner(partner_keys)
    yield served
    served.stop()


@pytest.fixture
def admin_api(api_as):
    return api_as("admin")
