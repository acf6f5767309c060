"""Screening a licence application and keeping its findings (licence_findings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from ..brokers.models import Broker
from ..db.columns import utcnow
from ..errors import Conflict
from ..i18n.labels import KINDS, label
from ..screening.models import DeniedSource
from ..screening.service import Subject, screen
from .models import Licence, LicenceFinding

PARTY_ROLES = ("supplier", "consignee", "end_user")


def subjects(licence: Licence, broker: Broker) -> list[Subject]:
    found = [Subject(role, getattr(licence, role).get("country"), getattr(licence, role)["name"])
             for role in PARTY_ROLES]
    found.append(Subject("broker", broker.country, broker.legal_name))
    # Arms embargoes reach every place the goods go: where they end and where they pass.
    found.append(Subject("destination", licence.destination_country))
    found += [Subject("transit", country) for country in licence.transit_countries]
    return found


def findings_of(session: Session, licence_id: int) -> list[LicenceFinding]:
    return list(session.exec(select(LicenceFinding).where(LicenceFinding.licence_id == licence_id)
                             .order_by(LicenceFinding.id)))


# What a broker sees of a match on this authority's own denials: which list and how close.
# The denied application's reference and the name as listed belong to another broker's case.
_AUTHORITY_EVIDENCE_FOR_BROKERS = frozenset({"list", "list_type", "score"})


def as_seen_by(finding: LicenceFinding, *, staff: bool) -> dict:
    """A finding as the viewer may read it: all of it for regulators; for the broker, without
    another case's particulars or which regulator acknowledged it."""
    seen = finding.model_dump()
    if not staff:
        seen["acknowledged_by"] = None
        if finding.evidence.get("list") == DeniedSource.AUTHORITY:
            seen["evidence"] = {key: value for key, value in finding.evidence.items()
                                if key in _AUTHORITY_EVIDENCE_FOR_BROKERS}
    return seen


def rescreen(session: Session, licence: Licence, broker: Broker,
             threshold: int) -> list[LicenceFinding]:
    """Screen again; a finding seen before keeps its row and its acknowledgement."""
    now = utcnow()
    existing = {(f.party_role, f.key): f for f in findings_of(session, licence.id)}
    rows = []
    for found in screen(session, subjects=subjects(licence, broker),
                        end_user_kind=licence.end_user.get("kind"), threshold=threshold):
        row = existing.pop((found.party_role, found.key), None) or LicenceFinding(
            licence_id=licence.id, rule=found.rule, party_role=found.party_role,
            matched=found.matched[:500], key=found.key[:200])
        row.rule, row.evidence, row.blocking = found.rule, found.evidence, found.blocking
        row.screened_at = now
        session.add(row)
        rows.append(row)
    for stale in existing.values():  # the list or the embargo changed since
        session.delete(stale)
    session.flush()
    return rows


def summary(findings: list[LicenceFinding]) -> list[dict]:
    return [{"rule": f.rule, "party_role": f.party_role, "matched": f.matched,
             "blocking": f.blocking, "acknowledged": f.acknowledged_at is not None}
            for f in findings]


def clear_for_approval(findings: list[LicenceFinding], *, actor, acknowledge: bool) -> list[int]:
    """Refuse approval under a full embargo; otherwise every other finding must be
    acknowledged, now (acknowledge=True) or before. Returns the ids acknowledged now."""
    blocking = [f for f in findings if f.blocking]
    if blocking:
        where = ", ".join(str(_l("%(party)s in %(country)s (%(resolution)s)",
                                 party=label(KINDS, f.party_role), country=f.matched,
                                 resolution=f.evidence.get("resolution"))) for f in blocking)
        raise Conflict(_l("Approval is blocked by a full arms embargo: %(where)s.", where=where))
    open_findings = [f for f in findings if f.acknowledged_at is None]
    if open_findings and not acknowledge:
        names = "; ".join(str(_l("%(rule)s on %(party)s (%(matched)s)",
                                 rule=label(KINDS, f.rule), party=label(KINDS, f.party_role),
                                 matched=f.matched)) for f in open_findings)
        raise Conflict(_l("%(n)s screening finding(s) must be acknowledged before approval "
                          "(tick the acknowledgement, or send acknowledge_findings: true): "
                          "%(names)s.",
                          n=len(open_findings), names=names))
    now = utcnow()
    for finding in open_findings:
        finding.acknowledged_by, finding.acknowledged_at = actor.id, now
    return [f.id for f in open_findings]
