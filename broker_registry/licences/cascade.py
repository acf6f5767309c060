"""How sanctions travel: a broker's registration to its licences, a licence to what hangs on it.

Both run inside the transaction of the sanction that caused them, each step with its own
audit entry, so the registry never shows a suspended broker holding a live licence.
"""

from __future__ import annotations

from flask_babel import force_locale, gettext
from sqlmodel import Session, select

from ..notifications.service import in_language_of, notify
from .models import Licence, LicenceStatus

S = LicenceStatus

# Which licences a broker's sanction reaches. A broker's reinstatement reaches none: a
# suspended licence comes back only when a regulator reinstates it, case by case.
_REACHES = {"suspend": (S.ISSUED,), "revoke": (S.ISSUED, S.SUSPENDED)}


def follow_broker(session: Session, *, actor, broker, action: str, reason: str) -> None:
    from .workflow import PAST_TENSE, TRANSITIONS, transition

    statuses = [str(s) for s in _REACHES.get(action, ())]
    licences = session.exec(select(Licence).where(Licence.broker_id == broker.id,
                                                  Licence.status.in_(statuses))
                            .order_by(Licence.id).with_for_update())
    number, what = broker.registration_number or broker.id, PAST_TENSE[action]
    with force_locale("en"):  # the audit log's reason stays in one language
        cause = gettext("Broker registration %(number)s %(what)s: %(reason)s", number=number,
                        what=what, reason=reason)
    for licence in licences:
        if licence.effective_status not in TRANSITIONS[action].allowed_from:
            continue  # expired: nothing left to suspend
        transition(session, actor, licence, action, cause, {"cause": "broker." + action},
                   via_broker=True)
        with in_language_of(session, licence.owner_id):
            why = gettext("Broker registration %(number)s %(what)s: %(reason)s", number=number,
                          what=what, reason=reason)
            subject = gettext("Licence %(name)s: %(what)s", name=licence.licence_number,
                              what=what)
            body = gettext("Your licence %(number)s was %(what)s because your registration "
                           "was.\nReason: %(reason)s", number=licence.licence_number,
                           what=what, reason=why)
        notify(session, account_id=licence.owner_id, licence_id=licence.id,
               subject=subject, body=body)


def follow_licence(session: Session, *, actor, licence: Licence, action: str,
                   reason: str, via_broker: bool = False) -> None:
    """A licence's suspension, revocation or reinstatement reaching its end-user certificates,
    in the same transaction, each with its audit entry and revocation-list entry."""
    from ..certificates.service import follow_licence as certificates_follow

    certificates_follow(session, actor=actor, licence=licence, action=action, reason=reason,
                        via_broker=via_broker)
