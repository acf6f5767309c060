"""Every status any page tags has its colour in web/tags.py: the one table of tones."""

from broker_registry.brokers.models import RegistrationStatus
from broker_registry.certificates.models import CertificateStatus
from broker_registry.licences.models import LicenceStatus
from broker_registry.web.tags import tone


def test_every_status_has_a_tone_and_only_a_draft_is_grey():
    for enum in (RegistrationStatus, LicenceStatus, CertificateStatus):
        for status in enum:
            assert tone(status) != "neutral" or status == "draft", status


def test_a_status_is_coloured_whatever_its_case():
    assert tone("valid") == tone("VALID") == tone(CertificateStatus.VALID) == "ok"
    assert tone("revoked") == "bad" and tone("suspended") == "warn"
    assert tone(None) == tone("something new") == "neutral"
