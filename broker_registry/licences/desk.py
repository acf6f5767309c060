"""The regulator's licence queue as a page reads it: searched by reference or name, filtered by
status, destination and screening flag, sorted, counted and paged. (The API's queue stays the
keyset list of service.queue.)"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ..brokers.models import Broker
from ..db import pages
from ..db.columns import utcnow
from .models import FindingRule, Licence, LicenceFinding, LicenceStatus
from .service import by_status

PAGE_SIZE = pages.PAGE_SIZE
# the queue's tabs: each status a regulator sees (drafts are the applicant's own), then all
STATUSES = (*(s for s in LicenceStatus if s != LicenceStatus.DRAFT), "all")
SORTS = {"oldest": (Licence.submitted_at.asc(), Licence.id.asc()),
         "newest": (Licence.submitted_at.desc(), Licence.id.desc()),
         "broker": (Broker.legal_name.asc(), Licence.id.asc())}
FLAGS = {"embargo": (FindingRule.EMBARGO_FULL, FindingRule.EMBARGO_PARTIAL),
         "denied_party": (FindingRule.DENIED_PARTY,),
         "national_list": (FindingRule.NATIONAL_LIST,)}
_REFERENCE = re.compile(r"^\s*LA-?0*([0-9]{1,9})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    licence: Licence
    broker: Broker
    flags: frozenset[str]
    age_days: int | None


def _search(statement, q: str):
    reference = _REFERENCE.match(q)
    if reference:
        return statement.where(Licence.id == int(reference[1]))
    return statement.where(pages.contains(q, (Broker.legal_name, Licence.licence_number,
                                              Licence.supplier, Licence.consignee,
                                              Licence.end_user)))


def _flagged(flag: str):
    return sa.exists().where(LicenceFinding.licence_id == Licence.id,
                             LicenceFinding.rule.in_(FLAGS[flag]))


def desk(session: Session, *, status: str | None, country: str | None, q: str | None,
         flag: str | None, sort: str, page: int) -> pages.Page:
    """A page of Rows, with the total and the number of pages."""
    def narrowed(statement, *, with_broker: bool):
        if with_broker or q:  # the search reads the broker's name
            statement = statement.join(Broker, Broker.id == Licence.broker_id)
        statement = by_status(statement, status)
        if country:
            statement = statement.where(Licence.destination_country == country)
        if q:
            statement = _search(statement, q)
        if flag in FLAGS:
            statement = statement.where(_flagged(flag))
        return statement

    # Counted without the broker unless the search reads its name: every licence has one.
    found = pages.page_of(session, narrowed(select(Licence, Broker), with_broker=True),
                          counted=narrowed(select(Licence.id), with_broker=False),
                          order_by=SORTS.get(sort, SORTS["oldest"]), page=page, size=PAGE_SIZE)
    rules = _rules_of(session, [licence.id for licence, _ in found.rows])
    now = utcnow()
    found.rows = [Row(licence, broker, rules.get(licence.id, frozenset()),
                      pages.age_days(licence.submitted_at, now))
                  for licence, broker in found.rows]
    return found


def _rules_of(session: Session, ids: list[int]) -> dict[int, frozenset[str]]:
    if not ids:
        return {}
    found: dict[int, set[str]] = {}
    for licence_id, rule in session.exec(select(LicenceFinding.licence_id, LicenceFinding.rule)
                                         .where(LicenceFinding.licence_id.in_(ids))):
        flag = next((name for name, rules in FLAGS.items() if rule in rules), None)
        if flag:
            found.setdefault(licence_id, set()).add(flag)
    return {key: frozenset(value) for key, value in found.items()}


def counts(session: Session) -> dict[str, pages.Count]:
    """How many applications each tab holds, the status as a reader sees it (expiry computed
    from valid_until), each counted up to pages.COUNT_CAP."""
    return pages.counts_up_to(session, {
        status: by_status(select(Licence.id), None if status == "all" else status)
        for status in STATUSES})
