"""A Chinese page never depends on the English wording of a message: with every sentence of the
English renderers reworded (certs/reasons.py's, for verification, and audit/reasons.py's, for
the reasons the registry records) and the English already stored rewritten, every Chinese
page that says such a message is byte for byte the same."""

import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from broker_registry.audit import reasons as recorded
from broker_registry.audit.models import AuditEntry
from broker_registry.certificates.models import Certificate
from certs import reasons as verification

ZH = {"Accept-Language": "zh-CN"}
# fresh per request (a CSRF token carries its second), in forms and in the lane's page data
_TOKEN = re.compile(r'name="csrf_token" value="[^"]*"|nonce="[^"]*"|"csrf": "[^"]*"')
MALFORMED = ["not a certificate", "EUC1:%%%%", "EUC1:" + "A" * 40]


def _reworded(table: dict) -> dict:
    return {code: (lambda p, say=say: "Reworded: " + say(p).upper()) for code, say in table.items()}


@pytest.fixture
def world(certificate, licence, broker_api, regulators, login):
    api = regulators[0]
    assert api.post(f"/api/v1/brokers/{broker_api.broker.id}/suspend",
                    json={"reason": "under investigation"}).status_code == 200
    pages = login(api.account)
    urls = [f"/licences/{licence['id']}", f"/certificates/{certificate['number']}",
            f"/brokers/{broker_api.broker.id}", "/admin/audit",
            *(f"/customs/verify?payload={quote(p)}"
              for p in [certificate["qr_payload"], *MALFORMED])]
    return api, pages, urls, certificate


def _pages(pages, urls) -> dict[str, str]:
    seen = {}
    for url in urls:
        response = pages.get(url, headers=ZH)
        assert response.status_code == 200, url
        seen[url] = _TOKEN.sub("", response.get_data(as_text=True))
    return seen


def test_rewording_every_english_message_leaves_the_chinese_pages_the_same(
        world, db, monkeypatch):
    api, pages, urls, certificate = world
    before = _pages(pages, urls)
    assert "已暂停：under investigation" in before[urls[0]]
    api_before = api.post("/api/v1/verify", json={"payload": certificate["qr_payload"]}) \
        .get_json()

    monkeypatch.setattr(verification, "ENGLISH", _reworded(verification.ENGLISH))
    monkeypatch.setattr(recorded, "ENGLISH", _reworded(recorded.ENGLISH))
    db.execute(sa.update(AuditEntry).where(AuditEntry.reason_code.is_not(None))
               .values(reason="Reworded: " + AuditEntry.reason))
    db.execute(sa.update(Certificate).where(Certificate.status_reason_code.is_not(None))
               .values(status_reason="Reworded: " + Certificate.status_reason))
    db.commit()

    # the English did change where English is said: the API and the stored reasons
    api_after = api.post("/api/v1/verify", json={"payload": certificate["qr_payload"]}) \
        .get_json()
    assert api_after["reason"] != api_before["reason"]
    assert api_after["reason"].startswith("Reworded: THE CERTIFICATE WAS SUSPENDED")
    assert (api_after["reason_code"], api_after["result"]) == ("suspended", "SUSPENDED")
    stored = api.get(urls[0].replace("/licences", "/api/v1/licences")).get_json()["history"]
    assert stored[-1]["reason"].startswith("Reworded: Broker registration")
    # and no Chinese page did
    after = _pages(pages, urls)
    for url in urls:
        assert after[url] == before[url], url
    assert "Reworded" not in "".join(after.values())
