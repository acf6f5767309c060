"""Screening lists (arms embargoes, denied parties) and screening a deal's parties against them.

Pure matching lives in matching.py and the UN-list parser in unlist.py; this module keeps the
lists in the database and turns matches into findings. It knows nothing of licences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from ..audit.models import AuditAction
from ..audit.service import record
from ..db.columns import utcnow
from ..errors import NotFound, invalid
from ..reference.embargoes import Scope
from .matching import PartyIndex
from .models import DeniedParty, DeniedSource, EmbargoEntry
from .schemas import EmbargoInput
from .unlist import ListedParty, UnListError, parse_un_list


@dataclass(frozen=True)
class Finding:
    rule: str  # embargo_full, embargo_partial, denied_party (UN list), national_list
    party_role: str
    matched: str
    key: str  # the same finding in a later screening has the same key
    evidence: dict = field(default_factory=dict)
    blocking: bool = False


@dataclass(frozen=True)
class Subject:
    """A party or place of a deal, as screening sees it."""

    role: str  # supplier, consignee, end_user, broker, destination, transit
    country: str | None
    name: str | None = None  # places have no name


# -- embargoes ---------------------------------------------------------------------------

def embargoes(session: Session) -> list[EmbargoEntry]:
    return list(session.exec(select(EmbargoEntry).order_by(EmbargoEntry.country)))


def _embargo_dict(entry: EmbargoEntry | None) -> dict | None:
    if entry is None:
        return None
    return {"country": entry.country, "scope": entry.scope, "resolution": entry.resolution,
            "since": entry.since.isoformat(), "notes": entry.notes}


def set_embargo(session: Session, *, actor, embargo: EmbargoInput) -> EmbargoEntry:
    entry = session.get(EmbargoEntry, embargo.country)
    before = _embargo_dict(entry)
    if entry is None:
        entry = EmbargoEntry(country=embargo.country, scope=embargo.scope,
                             resolution=embargo.resolution,
                             since=date.fromisoformat(embargo.since), notes=embargo.notes or "")
    else:
        entry.scope, entry.resolution = embargo.scope, embargo.resolution
        entry.since, entry.notes = date.fromisoformat(embargo.since), embargo.notes or ""
        entry.updated_at = utcnow()
    session.add(entry)
    session.flush()
    record(session, actor=actor, action=AuditAction.EMBARGO_SET, subject_type="embargo",
           subject_id=entry.country, before=before, after=_embargo_dict(entry))
    return entry


def remove_embargo(session: Session, *, actor, country: str, reason: str) -> None:
    entry = session.get(EmbargoEntry, country)
    if entry is None:
        raise NotFound(_l("No embargo on %(country)s.", country=country))
    before = _embargo_dict(entry)
    session.delete(entry)
    session.flush()
    record(session, actor=actor, action=AuditAction.EMBARGO_REMOVED, subject_type="embargo",
           subject_id=country, reason=reason, before=before)


# -- denied parties ----------------------------------------------------------------------

def listed_row(party: ListedParty, source: str, licence_id: int | None = None) -> DeniedParty:
    return DeniedParty(source=source, reference=party.reference, kind=party.kind,
                       name=party.name, aliases=list(party.aliases),
                       original_script_name=party.original_script_name,
                       countries=list(party.countries), list_type=party.list_type,
                       listed_on=party.listed_on, licence_id=licence_id)


def import_un_list(session: Session, *, actor, data: bytes, filename: str = "") -> int:
    """Replace the UN part of the list with the file's parties; a bad file changes nothing."""
    try:
        parties = parse_un_list(data)
    except UnListError as error:
        raise invalid("file", _l("not a usable UN Consolidated List: %(error)s", error=error)) \
            from None
    if not parties:
        raise invalid("file", _l("the list names no individual or entity"))
    before = session.execute(sa.select(sa.func.count()).select_from(DeniedParty)
                             .where(DeniedParty.source == DeniedSource.UN)).scalar_one()
    session.execute(sa.delete(DeniedParty).where(DeniedParty.source == DeniedSource.UN))
    session.add_all([listed_row(party, DeniedSource.UN) for party in parties])
    session.flush()
    record(session, actor=actor, action=AuditAction.DENIED_LIST_IMPORTED,
           subject_type="denied_list", subject_id=DeniedSource.UN,
           before={"parties": before}, after={"parties": len(parties), "file": filename[:200]})
    return len(parties)


def denied_parties(session: Session, *, source: str | None, limit: int,
                   after: int | None) -> list[DeniedParty]:
    statement = select(DeniedParty).order_by(DeniedParty.id).limit(limit + 1)
    if source:
        statement = statement.where(DeniedParty.source == source)
    if after is not None:
        statement = statement.where(DeniedParty.id > after)
    return list(session.exec(statement))


def _listed(row: DeniedParty) -> ListedParty:
    return ListedParty(reference=f"{row.source}:{row.reference}", kind=row.kind, name=row.name,
                       aliases=tuple(row.aliases), original_script_name=row.original_script_name,
                       countries=tuple(row.countries), list_type=row.list_type,
                       listed_on=row.listed_on)


def party_index(session: Session) -> PartyIndex:
    return PartyIndex(_listed(row) for row in session.exec(select(DeniedParty)))


# -- screening ---------------------------------------------------------------------------

def _embargo_findings(session: Session, subjects: list[Subject],
                      end_user_kind: str | None) -> list[Finding]:
    countries = {s.country for s in subjects if s.country}
    if not countries:
        return []
    entries = {e.country: e for e in session.exec(
        select(EmbargoEntry).where(EmbargoEntry.country.in_(sorted(countries))))}
    findings = []
    for subject in subjects:
        entry = entries.get(subject.country or "")
        if entry is None:
            continue
        full = entry.scope == Scope.FULL
        evidence = {"country": entry.country, "scope": entry.scope,
                    "resolution": entry.resolution, "since": entry.since.isoformat(),
                    "notes": entry.notes}
        if subject.role == "end_user" and end_user_kind:
            evidence["end_user_kind"] = end_user_kind
        findings.append(Finding(
            rule="embargo_full" if full else "embargo_partial", party_role=subject.role,
            matched=entry.country, key=f"embargo:{entry.country}:{entry.scope}",
            evidence=evidence, blocking=full))
    return findings


# A flag says which list matched: the UN's, or this authority's own national list.
LIST_RULES = {DeniedSource.UN: "denied_party", DeniedSource.AUTHORITY: "national_list"}


def _party_findings(index: PartyIndex, subjects: list[Subject],
                    threshold: int) -> list[Finding]:
    findings = []
    for subject in subjects:
        if not subject.name:
            continue
        for match in index.search(subject.name, threshold):
            source, _, reference = match.party.reference.partition(":")
            findings.append(Finding(
                rule=LIST_RULES[source], party_role=subject.role, matched=subject.name,
                key=f"party:{match.party.reference}",
                evidence={"list": source, "reference": reference,
                          "listed_name": match.party.name, "matched_name": match.matched_name,
                          "via": match.via, "score": round(match.score, 1),
                          "list_type": match.party.list_type,
                          "explanation": match.explanation}))
    return findings


def listed_flags(index: PartyIndex, names, threshold: int) -> frozenset[str]:
    """Which lists (the rules of LIST_RULES) any of `names` matches: a queue's flags, without
    the findings' evidence."""
    return frozenset(LIST_RULES[match.party.reference.partition(":")[0]]
                     for name in names if name for match in index.search(name, threshold))


def screen(session: Session, *, subjects: list[Subject], end_user_kind: str | None,
           threshold: int) -> list[Finding]:
    """Every finding for a deal: embargoes on its countries, its parties on the denied list."""
    findings = _embargo_findings(session, subjects, end_user_kind)
    findings += _party_findings(party_index(session), subjects, threshold)
    return findings
