"""A confirmation page before suspend, revoke, deny and refuse (GOV.UK's pattern): what the
action would do is stated first, counted from the records, and the form's fields are carried
to a "Yes, ..." button that acts.

The count is not a second copy of the cascade's rules: the action is rehearsed inside a
savepoint that is always rolled back, and the audit entries it wrote say what it reached.
Refusals (a missing reason, a state that forbids the action) come from that rehearsal too,
so they are said on the case page before any confirmation is asked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import gettext, ngettext

from .. import db
from ..audit.models import AuditEntry
from ..errors import Conflict, ValidationFailed
from .forms import errors_by_field

# The actions that ask first, and the word their button says.
ASKED = frozenset({"suspend", "revoke", "deny", "refuse"})


def confirmed() -> bool:
    return request.form.get("confirmed") == "yes"


@dataclass(frozen=True)
class Reach:
    counts: Counter  # audit action -> entries the rehearsal wrote
    listed: int  # parties the rehearsal put on the national list


def rehearse(session, act) -> Reach:
    """Run `act` in a savepoint, read what it wrote, and roll it all back."""
    start = session.execute(sa.select(sa.func.max(AuditEntry.seq))).scalar() or 0
    savepoint = session.begin_nested()
    try:
        act(session)
        session.flush()
        rows = session.execute(sa.select(AuditEntry.action, AuditEntry.after)
                               .where(AuditEntry.seq > start)).all()
    finally:
        savepoint.rollback()
    listed = sum(len((after or {}).get("names", [])) for action, after in rows
                 if action == "screening.denied_parties_added")
    return Reach(Counter(action for action, _ in rows), listed)


def _licences(n: int) -> str:
    return ngettext("%(num)s licence", "%(num)s licences", n)


def _certificates(n: int) -> str:
    return ngettext("%(num)s certificate", "%(num)s certificates", n)


def certificate_alone(reach: Reach) -> bool:
    """The action reached certificates and nothing above them: a regulator revoking one
    certificate. Its broker is not notified (only the certificate's history keeps the reason)."""
    reached = list(reach.counts)
    return any(action.startswith("certificate.") for action in reached) and \
        not any(action.startswith(("licence.", "broker.")) for action in reached)


def consequences(action: str, reach: Reach) -> list[str]:
    """The sentences the page states, the first the headline."""
    counts = reach.counts
    said = []
    if action == "revoke" and certificate_alone(reach):
        said.append(gettext("This revokes %(certificates)s.",
                            certificates=_certificates(counts["certificate.revoked"])))
        said.append(gettext("A revoked certificate is never valid again: the goods still to "
                             "ship need a new certificate."))
    elif action == "suspend":
        said.append(gettext("This suspends %(licences)s and %(certificates)s.",
                            licences=_licences(counts["licence.suspended"]),
                            certificates=_certificates(counts["certificate.suspended"])))
    elif action == "revoke":
        said.append(gettext("This revokes %(licences)s and %(certificates)s.",
                            licences=_licences(counts["licence.revoked"]),
                            certificates=_certificates(counts["certificate.revoked"])))
    elif action == "deny":
        said.append(ngettext("This denies %(num)s licence application.",
                             "This denies %(num)s licence applications.",
                             counts["licence.denied"]))
        if reach.listed:
            said.append(ngettext("It puts %(num)s party on the national denied-parties list: "
                                 "every later application naming it is flagged.",
                                 "It puts %(num)s parties on the national denied-parties "
                                 "list: every later application naming them is flagged.",
                                 reach.listed))
    elif action == "refuse":
        said.append(gettext("This refuses the broker registration."))
    if counts["broker.suspended"] or counts["broker.revoked"]:
        said.append(gettext("The broker may not broker while its registration is %(status)s.",
                            status=gettext("suspended") if action == "suspend"
                            else gettext("revoked")))
    if counts["certificate.suspended"] or counts["certificate.revoked"]:
        said.append(gettext("Customs see these certificates as no longer valid at once, "
                            "through the revocation list."))
    if certificate_alone(reach):
        said.append(gettext("The reason is kept in the certificate's history."))
    else:
        said.append(gettext("The broker is told, with the reason you gave; the internal note "
                            "is not sent."))
    return said


def ask(act, *, action: str, subject: str, back: str, rerender,
        facts: list[tuple[str, str]] = ()):
    """The confirmation page for `act`, or the case page again with the refusal; `facts`,
    (label, value) pairs, are what else the form chose, shown with the reason."""
    session = db.session()
    try:
        reach = rehearse(session, act)
    except ValidationFailed as error:
        session.rollback()
        return rerender(errors=errors_by_field(error), status=422)
    except Conflict as error:
        session.rollback()
        return rerender(errors={"action": error.detail}, status=409)
    session.rollback()
    carried = [(name, value) for name, values in request.form.lists()
               for value in values if name not in ("csrf_token", "confirmed")]
    return render_template("confirm.html", action=action, subject=subject, back=back,
                           said=consequences(action, reach), carried=carried, facts=facts,
                           told=not certificate_alone(reach),
                           reason=request.form.get("reason", ""),
                           note=request.form.get("internal_note", ""))
