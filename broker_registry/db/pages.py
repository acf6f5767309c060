"""A work queue's page of rows, as its page reads it: searched by name, counted, sorted and cut
into numbered pages. Each domain's desk (licences.desk, brokers.desk) says what its rows are,
what a search looks in and how it sorts; the counting, paging and searching are here, once.
(The API's lists stay keyset pages, web.json_api.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

PAGE_SIZE = 25
# A queue's status counts stop counting past this: a tab then reads "1,000+". Counting on
# would read every row of a status, and a registry with a million certificates holds a
# hundred thousand licences; the tabs answer as fast with them as with a hundred.
COUNT_CAP = 1000


class Count(int):
    """A number of rows, `more` when counting stopped at the cap (shown as "1,000+")."""

    more: bool = False

    @classmethod
    def up_to(cls, found: int, cap: int) -> Count:
        count = cls(min(found, cap))
        count.more = found > cap
        return count


@dataclass
class Page:
    rows: list[Any] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1


def contains(q: str, columns) -> sa.ColumnElement:
    """Any of `columns` holds `q`, whatever its case (a JSON column as its text)."""
    like = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return sa.or_(*(sa.func.lower(sa.cast(column, sa.String)).like(like, escape="\\")
                    for column in columns))


def counts_up_to(session: Session, statements: dict[str, Any],
                 cap: int | None = None) -> dict[str, Count]:
    """How many rows each statement finds, each counted no further than `cap` + 1, all in
    one query. Each statement should select one narrow column over an index."""
    cap = COUNT_CAP if cap is None else cap
    names = list(statements)
    found = session.exec(sa.select(*(
        select(sa.func.count()).select_from(statements[name].limit(cap + 1).subquery())
        .scalar_subquery() for name in names))).one()
    return {name: Count.up_to(n, cap) for name, n in zip(names, found, strict=True)}


def page_of(session: Session, statement, *, order_by, page: int,
            size: int = PAGE_SIZE, counted=None) -> Page:
    """The `page`th page of `statement`'s rows in `order_by` order, a page past the last being
    the last; with the total of rows and of pages. `counted`, when given, finds the same rows
    more cheaply (no join the filters do not need)."""
    total = session.exec(select(sa.func.count()).select_from(
        (statement if counted is None else counted).subquery())).one()
    pages = max((total + size - 1) // size, 1)
    page = min(max(page, 1), pages)
    rows = session.exec(statement.order_by(*order_by).offset((page - 1) * size)
                        .limit(size)).all()
    return Page(list(rows), total, page, pages)


def age_days(since: datetime | None, now: datetime) -> int | None:
    """Whole days a case has waited; None when it has not started waiting."""
    return None if since is None else max((now - since).days, 0)
