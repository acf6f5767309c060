"""What a work queue's page is asked for, read once for every queue (licences, registrations):
the status tab, the search, the sort and the page number. A value the queue does not know
falls back to its default rather than failing, as a link edited by hand should."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..validation import whole_number


@dataclass(frozen=True)
class Asked:
    status: str
    q: str
    sort: str
    page: int

    def link(self, **changed) -> dict:
        """The query of this page, with `changed` values: for sort, filter and page links."""
        return {"status": self.status, "q": self.q, "sort": self.sort, "page": self.page,
                **changed}


def asked(args, *, statuses: Collection[str], status: str, sorts: Collection[str]) -> Asked:
    """The queue's request arguments; `status` and the first of `sorts` are the defaults."""
    chosen = args.get("status", status)
    sort = args.get("sort", "")
    return Asked(status=chosen if chosen in statuses else status,
                 q=args.get("q", "").strip()[:200],
                 sort=sort if sort in sorts else next(iter(sorts)),
                 page=whole_number(args.get("page", ""), digits=6) or 1)
