"""UN Security Council arms embargoes in force, read from a JSON file the admin maintains."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path

from .countries import is_country

_RESOLUTION = re.compile(r"S/RES/[0-9]{1,5} \([0-9]{4}\)")


class Scope(StrEnum):
    FULL = "full"  # blocks approval outright
    NON_STATE_ACTORS = "non_state_actors"  # a finding for the regulator to weigh


@dataclass(frozen=True)
class Embargo:
    country: str
    scope: Scope
    resolution: str
    since: date
    notes: str = ""

    @property
    def blocks_approval(self) -> bool:
        return self.scope is Scope.FULL


def _require_str(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}.{key}: missing or not a non-empty string")
    return value


def _validate_entry(entry: object, where: str) -> Embargo:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected an object, got {type(entry).__name__}")
    unknown = set(entry) - {"country", "scope", "resolution", "since", "notes"}
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    country = _require_str(entry, "country", where)
    if not is_country(country):
        raise ValueError(f"{where}.country: {country!r} is not an ISO 3166-1 alpha-2 code")
    scope = _require_str(entry, "scope", where)
    if scope not in Scope._value2member_map_:
        raise ValueError(f"{where}.scope: {scope!r} is not one of {[s.value for s in Scope]}")
    resolution = _require_str(entry, "resolution", where)
    if not _RESOLUTION.fullmatch(resolution):
        raise ValueError(f"{where}.resolution: {resolution!r} is not like 'S/RES/1718 (2006)'")
    since = _require_str(entry, "since", where)
    try:
        since_date = date.fromisoformat(since)
    except ValueError:
        raise ValueError(f"{where}.since: {since!r} is not a YYYY-MM-DD date") from None
    notes = entry.get("notes", "")
    if not isinstance(notes, str):
        raise ValueError(f"{where}.notes: must be a string")
    return Embargo(country, Scope(scope), resolution, since_date, notes)


def validate_embargoes(obj: object) -> list[Embargo]:
    """Check a parsed embargo file, {"embargoes": [...]} or a bare list.

    Raises ValueError naming the entry and field at fault.
    """
    entries = obj.get("embargoes") if isinstance(obj, dict) else obj
    if not isinstance(entries, list):
        raise ValueError("embargo file: expected a list of embargoes or {'embargoes': [...]}")
    embargoes = [_validate_entry(entry, f"embargoes[{i}]") for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for i, embargo in enumerate(embargoes):
        if embargo.country in seen:
            raise ValueError(f"embargoes[{i}].country: {embargo.country} is listed twice")
        seen.add(embargo.country)
    return embargoes


def load_embargoes(path: str | Path | None = None) -> list[Embargo]:
    """Read and validate an embargo file; without a path, the sample shipped with the package."""
    if path is None:
        text = resources.files(__package__).joinpath("data/embargoes.json").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"embargo file is not JSON: {error}") from None
    return validate_embargoes(obj)


def embargo_for(country: str, embargoes: list[Embargo]) -> Embargo | None:
    return next((e for e in embargoes if e.country == country), None)
