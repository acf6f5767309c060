"""The regulator's registrations queue as a page reads it: searched by registration number or
name, filtered by status, sorted, counted and paged, each registration with the lists its
name or a beneficial owner's matches (UN, national) and how long it has waited. (The API's
list stays the keyset list of service.queue.)"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ..db import pages
from ..db.columns import utcnow
from ..screening.service import LIST_RULES, listed_flags, party_index
from .models import Broker, RegistrationStatus
from .service import by_status

S = RegistrationStatus
PAGE_SIZE = pages.PAGE_SIZE
# the queue's tabs: each status as a reader sees it, those asking for renewal, then all
STATUSES = (*RegistrationStatus, "renewal", "all")
SORTS = {"oldest": (Broker.submitted_at.asc(), Broker.id.asc()),
         "newest": (Broker.submitted_at.desc(), Broker.id.desc()),
         "name": (Broker.legal_name.asc(), Broker.id.asc())}
FLAGS = tuple(LIST_RULES.values())  # denied_party (the UN's list), national_list
# a registration number, BR-GB-2026-000001, or its tail; or the application's #12
_NUMBER = re.compile(r"^\s*(?:#([0-9]{1,9})|(BR-[A-Z]{2}-[0-9]{4}-[0-9]{1,6}))\s*$",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    broker: Broker
    flags: frozenset[str]
    age_days: int | None  # how long what the regulator must decide has waited


def _search(statement, q: str):
    number = _NUMBER.match(q)
    if number and number[1]:
        return statement.where(Broker.id == int(number[1]))
    if number:
        return statement.where(sa.func.upper(Broker.registration_number) == number[2].upper())
    return statement.where(pages.contains(q, (Broker.legal_name, Broker.registration_number,
                                              Broker.beneficial_owners)))


def _waiting_since(broker: Broker):
    if broker.renewal_requested_at is not None:
        return broker.renewal_requested_at
    return broker.submitted_at if broker.status == S.SUBMITTED else None


def desk(session: Session, *, status: str | None, q: str | None, sort: str, page: int,
         threshold: int) -> pages.Page:
    """A page of Rows, with the total and the number of pages."""
    statement = by_status(select(Broker), status)
    if q:
        statement = _search(statement, q)
    found = pages.page_of(session, statement, order_by=SORTS.get(sort, SORTS["oldest"]),
                          page=page, size=PAGE_SIZE)
    index = party_index(session) if found.rows else None
    now = utcnow()
    found.rows = [Row(broker, listed_flags(index, _names(broker), threshold),
                      pages.age_days(_waiting_since(broker), now)) for broker in found.rows]
    return found


def _names(broker: Broker) -> list[str]:
    return [broker.legal_name, *(owner.get("name", "") for owner in broker.beneficial_owners)]


def counts(session: Session) -> dict[str, pages.Count]:
    """How many registrations each tab holds, each counted up to pages.COUNT_CAP."""
    return pages.counts_up_to(session, {
        status: by_status(select(Broker.id), None if status == "all" else status)
        for status in STATUSES})
