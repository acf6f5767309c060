from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, Field

from ..reference.embargoes import Scope
from ..validation import Block, Country, Input, Line, one_of

_RESOLUTION = re.compile(r"S/RES/[0-9]{1,5} \([0-9]{4}\)")


def _resolution(value: str) -> str:
    if not _RESOLUTION.fullmatch(value):
        raise ValueError(_l("'%(value)s' is not like 'S/RES/1718 (2006)'", value=value))
    return value


def _since(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(_l("'%(value)s' is not a YYYY-MM-DD date", value=value)) from None
    return value


class EmbargoInput(Input):
    country: Country
    scope: one_of(Scope)
    resolution: Annotated[Line(40), AfterValidator(_resolution)]
    since: Annotated[str, Field(max_length=10), AfterValidator(_since)]
    notes: Block(2000) | None = None


class NationalEntryEdit(Input):
    """An admin's correction of a national-list entry; what is left out stays as it is."""

    name: Line(500) | None = None
    aliases: list[Line(500)] | None = Field(default=None, max_length=20)
    countries: list[Country] | None = Field(default=None, min_length=1, max_length=10)
    grounds: Block(2000) | None = None
    reason: Block(1000)


class RemovalReason(Input):
    reason: Block(1000)
