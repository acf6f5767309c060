"""Markings (serial numbers) as one item each: a marking twice in one shipment is refused;
one that already crossed under another certificate is recorded, flagged for the regulator,
and reported to the officer as a warning."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..certificates.models import Certificate
from ..errors import FieldError
from .models import Marking, Shipment

CROSSED_BEFORE = "marking_crossed_before"


def duplicates(lines) -> list[FieldError]:
    """An error on the markings of each line that repeats a marking of the same shipment."""
    seen: set[str] = set()
    errors = []
    for index, item in enumerate(lines):
        repeated = []
        for marking in item.markings or []:
            if marking in seen and marking not in repeated:
                repeated.append(marking)
            seen.add(marking)
        if repeated:
            errors.append(FieldError(f"lines.{index}.markings", _l(
                "%(markings)s appears more than once in this shipment: each marking is one "
                "item", markings=", ".join(repeated))))
    return errors


def _earlier_elsewhere(session: Session, certificate_id: int, markings: list[str],
                       before_id: int | None = None) -> dict[str, list[str]]:
    """marking -> the numbers of the other certificates it crossed under (before_id: only
    crossings recorded before that marking row)."""
    if not markings:
        return {}
    query = (sa.select(Marking.marking, Certificate.number)
             .join(Shipment, Shipment.id == Marking.shipment_id)
             .join(Certificate, Certificate.id == Shipment.certificate_id)
             .where(Marking.marking.in_(markings), Shipment.certificate_id != certificate_id)
             .order_by(Marking.id))
    if before_id is not None:
        query = query.where(Marking.id < before_id)
    found: dict[str, list[str]] = {}
    for marking, number in session.execute(query):
        numbers = found.setdefault(marking, [])
        if number not in numbers:
            numbers.append(number)
    return found


def record(session: Session, shipment: Shipment, lines) -> list[dict]:
    """Keep the shipment's markings, each flagged when it crossed before under another
    certificate; the warnings, one per flagged marking."""
    wanted = [m for item in lines for m in item.markings or []]
    earlier = _earlier_elsewhere(session, shipment.certificate_id, wanted)
    for item in lines:
        for marking in item.markings or []:
            session.add(Marking(shipment_id=shipment.id, line_no=item.line, marking=marking,
                                crossed_before=marking in earlier))
    return [{"code": CROSSED_BEFORE, "marking": marking, "line": item.line,
             "certificates": earlier[marking]}
            for item in lines for marking in item.markings or [] if marking in earlier]


def warnings_of(session: Session, shipment: Shipment) -> list[dict]:
    """The warnings a recorded shipment gave (a retry is answered as the first send was)."""
    flagged = list(session.exec(sa.select(Marking).where(
        Marking.shipment_id == shipment.id, Marking.crossed_before.is_(True))
        .order_by(Marking.id)).scalars())
    warnings = []
    for row in flagged:
        numbers = _earlier_elsewhere(session, shipment.certificate_id, [row.marking], row.id)
        warnings.append({"code": CROSSED_BEFORE, "marking": row.marking, "line": row.line_no,
                         "certificates": numbers.get(row.marking, [])})
    return warnings


def flagged_on(session: Session, certificate_id: int) -> list[dict]:
    """The markings shipped under a certificate that had crossed before under another: what
    the regulator sees on the certificate's page."""
    rows = session.execute(sa.select(Marking).join(Shipment, Shipment.id == Marking.shipment_id)
                           .where(Shipment.certificate_id == certificate_id,
                                  Marking.crossed_before.is_(True))
                           .order_by(Marking.id)).scalars()
    return [{"marking": row.marking, "line": row.line_no,
             "certificates": _earlier_elsewhere(session, certificate_id, [row.marking],
                                                row.id).get(row.marking, [])}
            for row in rows]
