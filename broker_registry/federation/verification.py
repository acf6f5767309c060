"""Online verification across authorities: a certificate is checked against the authority
its `iss` names, ours (the registry's own records, customs.verification) or a partner's (the
lists the worker keeps), and only that one (docs/spec/federation.md section 3)."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from certs.errors import MalformedError
from certs.federation import UNSIGNED_BY_ISSUER, Held, verify_issued
from certs.reasons import Reason
from certs.trust_list import Authority
from certs.verify import Reading, read

from ..customs.verification import OnlineResult, ServerTrust, verify_online
from .trust import ForeignTrust


def verify_anywhere(reader: sa.Connection, payload, *, home: Authority, ours: ServerTrust,
                    partners: ForeignTrust, known=None) -> OnlineResult:
    """Our own certificates as before; another authority's against its root and lists. The
    answer for a partner's certificate, once its signature verified under that partner's keys,
    names it, and says that what is left of the goods is known only to its registry (warning
    `issued_abroad`)."""
    try:
        reading = payload if type(payload) is Reading else read(payload)
    except MalformedError:
        return verify_online(reader, payload, ours, known)
    held = partners.partners(reader)
    if reading.claims.iss == home.code:
        online = verify_online(reader, reading, ours, known)
        if online.why.code == "signer_unknown":
            other = next((code for code, p in held.items()
                          if p.held.trust.candidates(reading.message.kid)), None)
            if other is not None:
                why = Reason("authority_mismatch", {"iss": home.code,
                                                    "kid": reading.message.kid.hex(),
                                                    "signer_authority": other})
                return replace(online, why=why,
                               verification=replace(online.verification, why=why))
        return online
    authorities = {code: p.held for code, p in held.items()}
    authorities[home.code] = Held(ours.store(reader))  # only to name a mismatch
    checked = verify_issued(reading, authorities=authorities)
    partner = held.get(reading.claims.iss)
    if partner is not None and checked.result not in UNSIGNED_BY_ISSUER:
        abroad = Reason("issued_abroad", {"authority": partner.code, "name": partner.name})
        checked = replace(checked, notices=(*checked.notices, abroad))
    return OnlineResult(checked, checked.result, checked.why, None, [])
