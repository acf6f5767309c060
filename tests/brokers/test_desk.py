"""The registrations queue's page data (brokers/desk.py): found by registration number, by
application number, by a legal or beneficial owner's name; each status as the reader sees it
(an expired registration is expired, not registered), counted; sorted and paged; flagged by
the list a name matches. And the queue's request arguments (web/queues.py) fall back to the
defaults for anything unknown."""

from __future__ import annotations

from datetime import timedelta

from werkzeug.datastructures import MultiDict

from broker_registry.brokers import desk, service
from broker_registry.brokers.schemas import BrokerApplication
from broker_registry.db.columns import utcnow
from broker_registry.permissions import Role
from broker_registry.screening.models import DeniedParty, DeniedSource
from broker_registry.web.queues import asked
from tests.factories import broker_application


def _apply(db, make_account, name: str, owner: str = "Élodie Marchand"):
    body = broker_application(legal_name=name,
                              beneficial_owners=[{"name": owner, "nationality": "FR"}])
    return service.apply(db, owner=make_account(Role.BROKER),
                         application=BrokerApplication.model_validate(body))


def _names(found) -> list[str]:
    return [row.broker.legal_name for row in found.rows]


def _queue(db, **asked_for):
    arguments = {"status": None, "q": None, "sort": "oldest", "page": 1, "threshold": 88}
    return desk.desk(db, **{**arguments, **asked_for})


def test_found_by_number_or_name_and_counted_by_status(app, db, make_account):
    regulator = make_account(Role.REGULATOR)
    first = _apply(db, make_account, "Alpha Brokerage Ltd", owner="Ingrid Halvorsen")
    second = _apply(db, make_account, "Beta Logistics SA")
    third = _apply(db, make_account, "Gamma Trading GmbH")
    for broker in (first, third):
        service.decide(db, actor=regulator, broker_id=broker.id, decision="approve",
                       reason="ok", years=3, country="XX")
    third.valid_until = utcnow() - timedelta(days=1)  # expired: computed, never stored
    db.add(third)
    db.flush()

    assert _names(_queue(db, status="submitted")) == ["Beta Logistics SA"]
    assert _names(_queue(db, status="registered")) == ["Alpha Brokerage Ltd"]
    assert _names(_queue(db, status="expired")) == ["Gamma Trading GmbH"]
    assert _names(_queue(db, q="halvorsen")) == ["Alpha Brokerage Ltd"]  # an owner's name
    assert _names(_queue(db, q=first.registration_number.lower())) == ["Alpha Brokerage Ltd"]
    assert _names(_queue(db, q=f"#{second.id}")) == ["Beta Logistics SA"]
    assert _names(_queue(db, q="100%_")) == []  # LIKE's wildcards are letters here
    counts = desk.counts(db)
    assert (counts["submitted"], counts["registered"], counts["expired"], counts["renewal"],
            counts["all"]) == (1, 1, 1, 0, 3)
    for status in desk.STATUSES:  # each tab counts what it lists
        assert counts[status] == _queue(db, status=None if status == "all" else status).total


def test_sorted_and_paged(app, db, make_account, monkeypatch):
    monkeypatch.setattr(desk, "PAGE_SIZE", 2)
    for name in ("Charlie Ltd", "Alpha Ltd", "Bravo Ltd"):
        _apply(db, make_account, name)
    first = _queue(db, sort="name")
    assert (_names(first), first.total, first.page, first.pages) == (
        ["Alpha Ltd", "Bravo Ltd"], 3, 1, 2)
    assert _names(_queue(db, sort="name", page=2)) == ["Charlie Ltd"]
    assert _queue(db, sort="name", page=99).page == 2  # past the end: the last page
    assert _names(_queue(db, sort="newest"))[0] == "Bravo Ltd"


def test_a_name_on_a_list_is_flagged_with_that_list(app, db, make_account):
    _apply(db, make_account, "Clean Brokers Ltd")
    _apply(db, make_account, "Harbour Agency", owner="Marco Vellani")
    db.add(DeniedParty(source=DeniedSource.AUTHORITY, reference="N-7", kind="individual",
                       name="Marco Vellani", aliases=[], countries=["IT"]))
    db.flush()
    rows = {row.broker.legal_name: row for row in _queue(db).rows}
    assert rows["Harbour Agency"].flags == {"national_list"}
    assert rows["Clean Brokers Ltd"].flags == frozenset()
    assert rows["Clean Brokers Ltd"].age_days == 0


def test_the_queue_arguments_fall_back_to_the_defaults():
    sorts = {"oldest": (), "newest": ()}
    odd = asked(MultiDict({"status": "nonsense", "sort": "sideways", "page": "²",
                           "q": "  x " * 100}), statuses={"submitted", "all"},
                status="submitted", sorts=sorts)
    assert (odd.status, odd.sort, odd.page, len(odd.q)) == ("submitted", "oldest", 1, 200)
    fine = asked(MultiDict({"status": "all", "sort": "newest", "page": "3", "q": " Kestrel "}),
                 statuses={"submitted", "all"}, status="submitted", sorts=sorts)
    assert (fine.status, fine.sort, fine.page, fine.q) == ("all", "newest", 3, "Kestrel")
    assert fine.link(page=4, flag="embargo") == {"status": "all", "q": "Kestrel",
                                                 "sort": "newest", "page": 4,
                                                 "flag": "embargo"}
