"""The licence queue's page data (licences/desk.py) tells the two lists apart: a match on the
UN's list is a denied party, a match on this authority's national list its own flag, each
filtered for alone."""

from __future__ import annotations

from broker_registry.db.columns import utcnow
from broker_registry.licences import desk
from broker_registry.licences.models import LicenceFinding
from tests.records import submit


def _finding(licence_id: int, rule: str) -> LicenceFinding:
    return LicenceFinding(licence_id=licence_id, rule=rule, party_role="end_user",
                          matched="Someone", key=f"party:{rule}:1", evidence={},
                          screened_at=utcnow())


def _queue(db, flag=None):
    found = desk.desk(db, status=None, country=None, q=None, flag=flag, sort="oldest", page=1)
    return [(row.licence.id, row.flags) for row in found.rows]


def test_the_un_list_and_the_national_list_are_flagged_apart(db, broker_api):
    un, national, clean = (submit(broker_api)["id"] for _ in range(3))
    db.add_all([_finding(un, "denied_party"), _finding(national, "national_list")])
    db.flush()
    assert _queue(db) == [(un, {"denied_party"}), (national, {"national_list"}),
                          (clean, frozenset())]
    assert _queue(db, "national_list") == [(national, {"national_list"})]
    assert _queue(db, "denied_party") == [(un, {"denied_party"})]
