"""Every list the API answers is a page: `{"items", "next_cursor"}`, `?limit=` and `?cursor=`
(api.md). Walked one item at a time, each list gives every item exactly once, in order."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from broker_registry.accounts import service as accounts
from broker_registry.certificates.models import Certificate
from broker_registry.db.columns import utcnow
from tests.records import issue_certificate


def walk(api, path: str) -> list[dict]:
    """Every item of the list, fetched one per page."""
    items, cursor = [], None
    for _ in range(100):
        separator = "&" if "?" in path else "?"
        query = f"{separator}limit=1" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(path + query)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert set(body) == {"items", "next_cursor"} and len(body["items"]) <= 1
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError(f"{path} never ends")


def test_the_categories(anonymous):
    whole = anonymous.get("/api/v1/categories").get_json()["items"]
    assert len(whole) == 16 and walk(anonymous, "/api/v1/categories") == whole
    assert walk(anonymous, "/api/v1/categories?lang=zh")[0]["code"] == "SALW-1"


def test_the_callers_tokens(db, api_as, make_account):
    owner = api_as(make_account("broker"))
    for _ in range(2):
        accounts.issue_token(db, owner.account)
    db.commit()
    whole = owner.get("/api/v1/auth/tokens?limit=500").get_json()["items"]
    assert len(whole) == 3
    assert walk(owner, "/api/v1/auth/tokens") == whole


def test_a_licences_certificates(licence, regulators):
    numbers = [issue_certificate(regulators[0], licence["id"],
                                 {"lines": [{"line": 1, "quantity": 10}]})["number"]
               for _ in range(3)]
    listed = walk(regulators[0], f"/api/v1/licences/{licence['id']}/certificates")
    assert [c["number"] for c in listed] == numbers


def test_a_markings_trace_and_the_overdue_deliveries(db, licence, regulators, customs):
    numbers = []
    for post in ("Aflao", "Elubo", "Paga"):
        number = issue_certificate(regulators[0], licence["id"],
                                   {"lines": [{"line": 1, "quantity": 10}]})["number"]
        shipped = customs.post(f"/api/v1/certificates/{number}/shipments", json={
            "border_post": post, "lines": [{"line": 1, "quantity": 1, "markings": ["SN-1"]}]})
        assert shipped.status_code == 201, shipped.get_json()
        numbers.append(number)
    trace = walk(customs, "/api/v1/markings/SN-1")
    assert [row["border_post"] for row in trace] == ["Aflao", "Elubo", "Paga"]
    assert [row["certificate"] for row in trace] == numbers
    assert all(row["recorded_at"].endswith("Z") for row in trace)

    db.execute(sa.update(Certificate).where(Certificate.number.in_(numbers))
               .values(last_shipment_at=utcnow() - timedelta(days=365)))
    db.commit()
    assert [c["number"] for c in walk(customs, "/api/v1/certificates/overdue")] == numbers


@pytest.mark.parametrize("path", ["/api/v1/categories", "/api/v1/auth/tokens",
                                  "/api/v1/markings/SN-1", "/api/v1/certificates/overdue"])
def test_bad_limits_and_cursors_are_422(customs, path):
    for query in ("limit=0", "limit=501", "limit=abc", "cursor=%%%", "cursor=LTE"):
        response = customs.get(f"{path}?{query}")
        assert response.status_code == 422, (path, query)
        assert response.content_type == "application/problem+json"
