"""The licence queue's page data (licences/desk.py) tells the two lists apart: a match on the
UN's list is a denied party, a match on this authority's national list its own flag, each
filtered for alone. Each tab counts what it lists (an expired licence is expired, not issued),
and stops counting at the cap."""

from __future__ import annotations

import re
from datetime import timedelta

from broker_registry.db import pages
from broker_registry.db.columns import utcnow
from broker_registry.licences import desk
from broker_registry.licences.models import Licence, LicenceFinding, LicenceStatus
from tests.licences.test_pages import sign_in
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


def _issued(db, licence_id: int, days_left: int) -> None:
    licence = db.get(Licence, licence_id)
    licence.status, licence.valid_until = LicenceStatus.ISSUED, utcnow() + timedelta(days_left)
    db.add(licence)
    db.flush()


def test_each_tab_counts_what_it_lists(db, broker_api):
    issued, expired, _ = (submit(broker_api)["id"] for _ in range(3))
    _issued(db, issued, 30)
    _issued(db, expired, -1)  # expired: computed from valid_until, never stored
    counts = desk.counts(db)
    for status in desk.STATUSES:
        listed = desk.desk(db, status=None if status == "all" else status, country=None, q=None,
                           flag=None, sort="oldest", page=1)
        assert (counts[status], counts[status].more) == (listed.total, False), status
    assert (counts["submitted"], counts["issued"], counts["expired"], counts["all"]) == (
        1, 1, 1, 3)


def test_a_tab_stops_counting_at_the_cap_and_says_so(app, db, broker_api, regulator,
                                                     monkeypatch):
    monkeypatch.setattr(pages, "COUNT_CAP", 2)
    for _ in range(3):
        submit(broker_api)
    counts = desk.counts(db)
    assert (counts["submitted"], counts["submitted"].more) == (2, True)
    assert (counts["denied"], counts["denied"].more) == (0, False)
    page = sign_in(app, regulator).get("/regulator/licences").get_data(as_text=True)
    tabs = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('class="status-counts"')[1]
                                      .split("</nav>")[0]))
    assert "submitted 2+" in tabs and "denied 0 " in tabs and "all 2+" in tabs, tabs
    assert "3 applications" in page  # the list's own total is exact
