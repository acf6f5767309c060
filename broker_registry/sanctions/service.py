"""Running a sanction: the sanctioned record's own change, then everything it reaches (as
reach.py says), each record changed by its own domain through its own table with its own
audit entry, all in the caller's one transaction: the registry never shows a suspended broker
holding a live licence, nor a revoked key's certificate as valid."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from sqlmodel import Session

from certs.trust_list import Authority

from ..accounts.locale import in_language_of
from ..audit.reasons import Recorded, broker_sanctioned, signer_revoked
from ..brokers import service as brokers
from ..brokers.models import Broker
from ..certificates import service as certificates
from ..certificates.models import Certificate
from ..keys import service as keys
from ..keys.models import SignerKey
from ..keys.store import KeyStore
from ..licences import lifecycle, workflow
from ..licences import service as licences
from ..licences.models import Licence
from ..notifications.service import notify
from ..revocations import service as revocations
from ..settings import Settings
from .reach import (
    BROKER_CERTIFICATES,
    BROKER_LICENCES,
    LICENCE_CERTIFICATES,
    SIGNER_CERTIFICATES,
    Reach,
)


def sanction_broker(session: Session, *, actor, broker_id: int, action: str,
                    reason: str, note: str | None = None, mail: bool = False) -> Broker:
    """Suspend, reinstate or revoke a registration, and what that reaches: its licences and,
    through them, their certificates. `note` is the regulator's, for staff only."""
    broker = brokers.sanction(session, actor=actor, broker_id=broker_id, action=action,
                              reason=reason, note=note, mail=mail)
    reach = BROKER_LICENCES.get(action)
    if reach is None:
        return broker
    number, what = broker.registration_number or broker.id, lifecycle.TRANSITIONS.past(action)
    cause = broker_sanctioned(number, str(broker.status), reason)
    for licence in licences.of_broker(session, broker.id, reach.statuses):
        if not lifecycle.TRANSITIONS.allows(licence.effective_status, reach.action):
            continue  # expired: nothing left to suspend
        lifecycle.transition(session, actor, licence, reach.action, cause,
                             {"cause": reach.cause})
        follow_licence(session, actor=actor, licence=licence, reach=BROKER_CERTIFICATES[action],
                       reason=cause)
        _tell_owner(session, licence, number=number, what=what, reason=reason)
    return broker


def _tell_owner(session: Session, licence: Licence, *, number, what, reason: str) -> None:
    with in_language_of(session, licence.owner_id):
        why = gettext("Broker registration %(number)s %(what)s: %(reason)s", number=number,
                      what=what, reason=reason)
        subject = gettext("Licence %(name)s: %(what)s", name=licence.licence_number, what=what)
        body = gettext("Your licence %(number)s was %(what)s because your registration "
                       "was.\nReason: %(reason)s", number=licence.licence_number,
                       what=what, reason=why)
    notify(session, account_id=licence.owner_id, licence_id=licence.id,
           subject=subject, body=body)


def sanction_licence(session: Session, *, actor, licence_id: int, action: str, reason: str,
                     settings: Settings, note: str | None = None) -> Licence:
    """Suspend, reinstate or revoke a licence, and what that reaches: its certificates.
    `note` is the regulator's, for staff only."""
    licence = workflow.sanction(session, actor=actor, licence_id=licence_id, action=action,
                                reason=reason, settings=settings, note=note)
    reach = LICENCE_CERTIFICATES.get(action)
    if reach is not None:
        follow_licence(session, actor=actor, licence=licence, reach=reach, reason=reason)
    return licence


def follow_licence(session: Session, *, actor, licence: Licence, reach: Reach,
                   reason: str | Recorded) -> None:
    """A licence's sanction reaching its certificates, each with its audit entry and its
    revocation-list entry."""
    for certificate in certificates.not_revoked(session, licence_id=licence.id):
        _reach(session, actor, certificate, reach, reason)


def _reach(session: Session, actor, certificate: Certificate, reach: Reach,
           reason: str | Recorded) -> bool:
    if certificate.status not in reach.statuses or \
            (reach.caused_only and certificate.suspended_by is None):
        return False
    certificates.transition(session, actor, certificate, reach.action, reason, reach.code,
                            cause=reach.cause, listed=reach.listed)
    return True


def revoke_signer(session: Session, store: KeyStore, authority: Authority, *, kid_hex: str,
                  reason: str, actor=None) -> list[SignerKey]:
    """Key compromise: the key is revoked, the revocation list names it, every certificate it
    signed is revoked too (so that no page, answer or shipment treats one as valid), and a new
    key takes over when it was the one signing."""
    revoked = keys.revoke(session, kid_hex=kid_hex, reason=reason, actor=actor)
    revocations.record_signer(session, kid_hex)
    why = signer_revoked(kid_hex, reason)
    for certificate in certificates.not_revoked(session, signer_ids=[s.id for s in revoked]):
        _reach(session, actor, certificate, SIGNER_CERTIFICATES, why)
    trust = current_app.extensions.get("server_trust")
    if trust is not None:
        trust.invalidate()  # this worker refuses the key at once; the others within a second
    keys.replace_revoked(session, store, authority, actor)
    return revoked


def revoke_certificate(session: Session, *, actor, number: str, reason: str,
                       code: str = "unspecified") -> Certificate:
    """One certificate revoked by a regulator: it reaches nothing beyond its own entry."""
    return certificates.revoke(session, actor=actor, number=number, reason=reason, code=code)
