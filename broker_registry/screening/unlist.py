"""Importer for the UN Security Council Consolidated List (its published XML format).

The file comes from outside, so it is parsed with defusedxml, with a size cap, and any
surprise is a UnListError naming what is wrong rather than a half-imported list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Literal
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from flask_babel import lazy_gettext as _l

from broker_registry.reference.countries import country_code_from_name

MAX_BYTES = 50 * 1024 * 1024  # the real list is a few MB; anything far larger is not it

Kind = Literal["individual", "entity"]


class UnListError(ValueError):
    """The input is not a usable UN Consolidated List; its message is in the reader's language
    (the admin's page) or in English (the command line)."""


@dataclass(frozen=True)
class ListedParty:
    reference: str  # the UN reference number, e.g. "KPi.033": stable across list versions
    kind: Kind
    name: str
    aliases: tuple[str, ...] = ()
    original_script_name: str | None = None
    countries: tuple[str, ...] = ()  # alpha-2 codes of nationalities and addresses, when known
    list_type: str = ""  # the sanctions committee, e.g. "DPRK", "Al-Qaida"
    listed_on: date | None = None


def _text(element: Element, path: str) -> str:
    found = element.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _texts(element: Element, path: str) -> list[str]:
    values = (" ".join((found.text or "").split()) for found in element.iterfind(path))
    return [value for value in values if value]


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _parse_date(value: str) -> date | None:
    # A malformed date should not stop an otherwise sound import; the party still gets screened.
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# The longest each field is kept (the denied_parties columns): the UN's own are far shorter.
LONGEST = {"REFERENCE_NUMBER": 60, "name": 500, "NAME_ORIGINAL_SCRIPT": 500, "UN_LIST_TYPE": 100}


def _party(element: Element, kind: Kind, position: int) -> ListedParty:
    tag = element.tag
    where = f"{tag} #{position} (DATAID {_text(element, 'DATAID') or 'missing'})"
    reference = _text(element, "REFERENCE_NUMBER")
    if not reference:
        raise UnListError(_l("%(where)s: no REFERENCE_NUMBER", where=where))
    name_tags = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    name = " ".join(part for part in (_text(element, t) for t in name_tags) if part)
    if not name:
        raise UnListError(_l("%(where)s, reference %(reference)s: no name", where=where,
                             reference=reference))
    country_names = _texts(element, "NATIONALITY/VALUE") + _texts(element, f"{tag}_ADDRESS/COUNTRY")
    codes = [country_code_from_name(country) for country in country_names]
    fields = {"REFERENCE_NUMBER": reference, "name": name,
              "NAME_ORIGINAL_SCRIPT": _text(element, "NAME_ORIGINAL_SCRIPT"),
              "UN_LIST_TYPE": _text(element, "UN_LIST_TYPE")}
    for field, value in fields.items():
        if len(value) > LONGEST[field]:
            raise UnListError(_l("%(where)s, reference %(reference)s: %(field)s is "
                                 "%(length)d characters, more than the %(longest)d a listed "
                                 "party's can be", where=where, reference=reference[:60],
                                 field=field, length=len(value), longest=LONGEST[field]))
    return ListedParty(
        reference=reference,
        kind=kind,
        name=name,
        aliases=_unique([a for a in _texts(element, f"{tag}_ALIAS/ALIAS_NAME") if a != name]),
        original_script_name=_text(element, "NAME_ORIGINAL_SCRIPT") or None,
        countries=_unique([code for code in codes if code]),
        list_type=_text(element, "UN_LIST_TYPE"),
        listed_on=_parse_date(_text(element, "LISTED_ON")),
    )


def _root(data: bytes) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as error:
        raise UnListError(_l("refused: the list must not declare a DTD or entities "
                             "(%(error)s)", error=error)) from None
    except ParseError as error:
        line, column = error.position
        raise UnListError(_l("not well-formed XML at line %(line)d, column %(column)d: "
                             "%(error)s", line=line, column=column, error=error)) from None
    except (LookupError, ValueError) as error:  # an unknown or multi-byte declared encoding
        raise UnListError(_l("cannot read the encoding the XML declares: %(error)s",
                             error=error)) from None


def parse_un_list(data: bytes | str, *, max_bytes: int = MAX_BYTES) -> list[ListedParty]:
    """Every individual and entity on the list, in file order."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise UnListError(_l("input is %(size)d bytes, over the %(limit)d-byte limit",
                             size=len(data), limit=max_bytes))
    root = _root(data)
    if root.tag != "CONSOLIDATED_LIST":
        raise UnListError(_l("root element is <%(tag)s>, expected <CONSOLIDATED_LIST>",
                             tag=root.tag))
    parties = [
        _party(element, kind, position)
        for path, kind in (("INDIVIDUALS/INDIVIDUAL", "individual"), ("ENTITIES/ENTITY", "entity"))
        for position, element in enumerate(root.iterfind(path), start=1)
    ]
    _check_unique_references(parties)
    return parties


def _check_unique_references(parties: list[ListedParty]) -> None:
    seen: set[str] = set()
    for party in parties:
        if party.reference in seen:
            raise UnListError(_l("reference number %(reference)s appears twice",
                                 reference=party.reference))
        seen.add(party.reference)


def load_un_list(path: str | Path, *, max_bytes: int = MAX_BYTES) -> list[ListedParty]:
    """Parse a list file, reading no more than one byte past the limit."""
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    return parse_un_list(data, max_bytes=max_bytes)


def load_sample_list() -> list[ListedParty]:
    """The fictional sample list shipped for tests and demonstrations."""
    data = resources.files(__package__).joinpath("data/un_sample.xml").read_bytes()
    return parse_un_list(data)
