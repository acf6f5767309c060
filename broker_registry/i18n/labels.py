"""What the pages show for the codes the API keeps: statuses, roles, kinds, audit actions.

The API speaks in stable English codes ("awaiting_countersignature"); a page shows the label
in the reader's language. Labels are lazy, so this module can be imported anywhere and each
label is translated when a page renders it. No Flask here beyond flask_babel's lazy strings.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

# Registrations, licences and certificates share some words; one label serves all three.
STATUSES = {
    "draft": _l("draft"),
    "submitted": _l("submitted"),
    "registered": _l("registered"),
    "refused": _l("refused"),
    "information_requested": _l("information requested"),
    "awaiting_countersignature": _l("awaiting countersignature"),
    "issued": _l("issued"),
    "denied": _l("denied"),
    "suspended": _l("suspended"),
    "revoked": _l("revoked"),
    "expired": _l("expired"),
    "valid": _l("valid"),
    "renewal": _l("renewal requested"),
    "all": _l("all"),
}

ROLES = {
    "broker": _l("broker"),
    "regulator": _l("regulator"),
    "customs": _l("customs officer"),
    "admin": _l("administrator"),
    "system": _l("system"),
}

# Kinds of broker and end user, activities, embargo scopes, screening rules, party roles.
KINDS = {
    "individual": _l("individual"),
    "company": _l("company"),
    "brokering": _l("brokering"),
    "transport": _l("transport"),
    "financing": _l("financing"),
    "other": _l("other"),
    "government": _l("government"),
    "armed_forces": _l("armed forces"),
    "police": _l("police"),
    "commercial": _l("commercial"),
    "full": _l("full"),
    "non_state_actors": _l("non-state actors"),
    "embargo_full": _l("full arms embargo"),
    "embargo_partial": _l("arms embargo on non-state actors"),
    "denied_party": _l("party on the UN list"),
    "national_list": _l("party on the national list"),
    "supplier": _l("supplier"),
    "consignee": _l("consignee"),
    "end_user": _l("end user"),
    "broker": _l("broker"),
    "un": _l("UN Security Council"),
    "authority": _l("national list"),
    "active": _l("active"),
    "deactivated": _l("deactivated"),
}

# The last word of an audit action ("licence.information_requested"), as a history line says it.
ACTIONS = {
    "created": _l("created"),
    "password_changed": _l("password changed"),
    "deactivated": _l("deactivated"),
    "reactivated": _l("reactivated"),
    "applied": _l("applied"),
    "approved": _l("approved"),
    "refused": _l("refused"),
    "suspended": _l("suspended"),
    "reinstated": _l("reinstated"),
    "revoked": _l("revoked"),
    "renewal_requested": _l("renewal requested"),
    "renewed": _l("renewed"),
    "drafted": _l("draft saved"),
    "submitted": _l("submitted"),
    "information_requested": _l("information requested"),
    "responded": _l("broker answered"),
    "issued": _l("issued"),
    "denied": _l("denied"),
    "findings_acknowledged": _l("screening findings acknowledged"),
    "embargo_set": _l("embargo set"),
    "embargo_removed": _l("embargo removed"),
    "denied_list_imported": _l("UN list imported"),
    "denied_parties_added": _l("parties added to the national list"),
    "denied_party_edited": _l("national list entry corrected"),
    "denied_party_removed": _l("removed from the national list"),
    "retired": _l("retired"),
    "recorded": _l("recorded"),
    "confirmed": _l("confirmed"),
}

# What customs read in large letters on the verification page.
VERDICTS = {
    "VALID": _l("VALID"),
    "REVOKED": _l("REVOKED"),
    "SUSPENDED": _l("SUSPENDED"),
    "EXPIRED": _l("EXPIRED"),
    "NOT_YET_VALID": _l("NOT YET VALID"),
    "EXHAUSTED": _l("EXHAUSTED"),
    "UNKNOWN_SIGNER": _l("UNKNOWN SIGNER"),
    "BAD_SIGNATURE": _l("BAD SIGNATURE"),
    "MALFORMED": _l("MALFORMED"),
}

# Form fields as error summaries name them; a field not listed shows its name.
FIELDS = {
    "legal_name": _l("Legal name"),
    "kind": _l("Kind"),
    "country": _l("Country"),
    "company_number": _l("Company number"),
    "address": _l("Address"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "activities": _l("Activities"),
    "beneficial_owners": _l("Beneficial owners"),
    "convictions_declared": _l("Declaration"),
    "convictions_details": _l("Details of the convictions"),
    "display_name": _l("Name"),
    "password": _l("Password"),
    "current_password": _l("Current password"),
    "new_password": _l("New password"),
    "role": _l("Role"),
    "broker_id": _l("Registration"),
    "supplier": _l("Supplier"),
    "consignee": _l("Consignee"),
    "end_user": _l("End user"),
    "destination_country": _l("Final destination"),
    "transit_countries": _l("Transit countries"),
    "goods": _l("Goods"),
    "end_use": _l("Stated end use"),
    "transport": _l("Transport"),
    "financing": _l("Financing"),
    "valid_until": _l("Valid until"),
    "decision": _l("Decision"),
    "reason": _l("Reason"),
    "reason_code": _l("Reason code on the revocation list"),
    "response": _l("Your answer"),
    "action": _l("Action"),
    "lines": _l("Goods lines"),
    "file": _l("File"),
    "scope": _l("Scope"),
    "resolution": _l("Resolution"),
    "since": _l("In force since"),
    "notes": _l("Notes"),
    "payload": _l("Certificate code"),
    "image": _l("Photo of the QR code"),
    "draft": _l("Draft"),
    "shipment": _l("Shipment"),
    "border_post": _l("Border post"),
    "body": _l("Request"),
}

_PARTY_FIELD = re.compile(r"^(supplier|consignee|end_user)[._](name|address|country|kind)$")
_OWNER_FIELD = re.compile(r"^beneficial_owners\.([0-9]{1,3})\.(name|nationality)$")
_LINE_FIELD = re.compile(r"^(quantity|markings)_([0-9]{1,4})$")  # a form's field of one line
_GOODS_FIELD = re.compile(r"^goods[._](description|category|quantity|unit|unit_value|currency)"
                          r"[._](\d+)$")
_PARTS = {"name": _l("name"), "address": _l("address"), "country": _l("country"),
          "kind": _l("kind"), "description": _l("description"), "category": _l("category"),
          "quantity": _l("quantity"), "unit": _l("unit"), "unit_value": _l("unit value"),
          "currency": _l("currency")}


def label(table: dict, code: object) -> str:
    """The label of a code in the reader's language, or the code itself if it has none."""
    found = table.get(str(code)) if code is not None else None
    return str(found) if found is not None else str(code or "")


def field_label(field: str) -> str:
    """'supplier_name' -> 'Supplier: name', 'goods_quantity_2' -> 'Goods line 3: quantity'."""
    from flask_babel import gettext

    party = _PARTY_FIELD.match(field)
    if party:
        return f"{label(FIELDS, party[1])}: {label(_PARTS, party[2])}"
    goods = _GOODS_FIELD.match(field)
    if goods:
        return gettext("Goods line %(n)s: %(part)s", n=int(goods[2]) + 1,
                       part=label(_PARTS, goods[1]))
    owner = _OWNER_FIELD.match(field)
    if owner and owner[2] == "name":  # the form's own labels: "Owner 2 name"
        return gettext("Owner %(n)s name", n=int(owner[1]) + 1)
    if owner:
        return gettext("Owner %(n)s nationality", n=int(owner[1]) + 1)
    line = _LINE_FIELD.match(field)
    if line and line[1] == "quantity":
        return gettext("Quantity of line %(n)s", n=int(line[2]))
    if line:
        return gettext("Markings of line %(n)s", n=int(line[2]))
    head = field.split(".")[0]
    if head in FIELDS:
        return label(FIELDS, head)
    return field.replace("_", " ")



def N_(message: str) -> str:  # noqa: N802 - the marker Babel extracts by default
    """Mark a message for the catalogue where it is translated later, by its msgid."""
    return message


# Why a certificate's entry is on the revocation list (certs.revocation_list.Reason).
REVOCATION_REASONS = {
    "unspecified": _l("unspecified"),
    "licence revoked": _l("licence revoked"),
    "licence suspended": _l("licence suspended"),
    "registration revoked": _l("registration revoked"),
    "registration suspended": _l("registration suspended"),
    "issued in error": _l("issued in error"),
    "superseded": _l("superseded"),
    "key compromise": _l("key compromise"),
    "diversion suspected": _l("diversion suspected"),
}

# certs/ writes its verdicts in English and imports no translation machinery; the page
# recognises each sentence it can write and says it again in the reader's language.
_VERDICT_SENTENCES = [
    (r"Signature good, signer trusted, within its validity, not revoked\.",
     N_("Signature good, signer trusted, within its validity, not revoked.")),
    (r" \(This registry has no record of it: ask the issuing authority\.\)",
     N_(" (This registry has no record of it: ask the issuing authority.)")),
    (r"Every goods line has been fully shipped\.",
     N_("Every goods line has been fully shipped.")),
    (r"The certificate was revoked on (?P<when>[^(]+?) \((?P<why>[^)]*)\)\.",
     N_("The certificate was revoked on %(when)s (%(why)s).")),
    (r"The certificate was suspended on (?P<when>[^(]+?) \((?P<why>[^)]*)\)\.",
     N_("The certificate was suspended on %(when)s (%(why)s).")),
    (r"The certificate was revoked on (?P<when>[^(]+?) \((?P<why>[^)]*)\): (?P<reason>.*)",
     N_("The certificate was revoked on %(when)s (%(why)s): %(reason)s")),
    (r"The certificate was suspended on (?P<when>[^(]+?) \((?P<why>[^)]*)\): (?P<reason>.*)",
     N_("The certificate was suspended on %(when)s (%(why)s): %(reason)s")),
    (r"The certificate expired on (?P<when>.+?)\.",
     N_("The certificate expired on %(when)s.")),
    (r"The certificate is not valid before (?P<when>.+?)\.",
     N_("The certificate is not valid before %(when)s.")),
    (r"Its signing key (?P<kid>\w+) has been revoked; nothing it signed is valid\.",
     N_("Its signing key %(kid)s has been revoked; nothing it signed is valid.")),
    (r"The signer (?P<kid>\w+) is not on the trust list signed by the pinned root\.",
     N_("The signer %(kid)s is not on the trust list signed by the pinned root.")),
    (r"The signer (?P<kid>\w+) was not valid when the certificate was issued "
     r"\((?P<when>[^)]+)\)\.",
     N_("The signer %(kid)s was not valid when the certificate was issued (%(when)s).")),
    (r"The signature does not verify: the code was altered or forged\.",
     N_("The signature does not verify: the code was altered or forged.")),
    # the commonest ways a code is unreadable, in plain words; the rest keep their detail
    (r"Not a readable EUC1 certificate: the QR text does not start with EUC1:\.",
     N_("Not a readable EUC1 certificate: this is not the code of an end-user certificate "
        "(it does not start with EUC1:).")),
    (r"Not a readable EUC1 certificate: Base45 text (?:contains a character outside its "
     r"alphabet|has an impossible length|ends with a value above 255|holds a triple above "
     r"65535)\.",
     N_("Not a readable EUC1 certificate: the code was cut short or mistyped.")),
    (r"Not a readable EUC1 certificate: the zlib data (?:is corrupt|is truncated|has "
     r"trailing bytes|inflates beyond)[^\n]*\.",
     N_("Not a readable EUC1 certificate: its compressed content is damaged.")),
    (r"Not a readable EUC1 certificate: the QR text (?:is longer than|is not ASCII|must be a "
     r"string)[^\n]*\.",
     N_("Not a readable EUC1 certificate: this is not the code of an end-user certificate.")),
    # the signed envelope (COSE_Sign1) and the content inside it, each in one plain sentence:
    # the API and the command line keep the technical detail
    (r"Not a readable EUC1 certificate: (?:COSE_Sign1 |not a COSE_Sign1|alg |kid must|the "
     r"protected header|protected header|the unprotected header|the signature must|the "
     r"payload )[^\n]*\.",
     N_("Not a readable EUC1 certificate: its signed envelope is not in the form the EUC1 "
        "standard requires.")),
    (r"Not a readable EUC1 certificate: (?:the CWT payload|iss \(1\)|iat \(6\)|exp \(4\)|"
     r"cti \(7\)|content |transit \(t\)|dvc_required|the non-re-export|country |[a-z]: )"
     r"[^\n]*\.",
     N_("Not a readable EUC1 certificate: what it says does not follow the end-user "
        "certificate's schema.")),
    (r"Not a readable EUC1 certificate: (?P<detail>.*)\.",
     N_("Not a readable EUC1 certificate: %(detail)s.")),
    (r"The revocation list is stale: its update was due (?P<age>.+?) ago\.",
     N_("The revocation list is stale: its update was due %(age)s ago.")),
]
_VERDICT_PATTERNS = [(re.compile(pattern, re.S), message)
                     for pattern, message in _VERDICT_SENTENCES]

# The reasons the registry writes itself when one sanction causes another, stored in English
# (the audit log keeps one language) around the words a regulator typed, which stay as typed.
_RECORDED_REASONS = [
    (re.compile(r"Broker registration (?P<number>\S+) (?P<what>suspended|revoked): "
                r"(?P<reason>.*)", re.S),
     N_("Broker registration %(number)s %(what)s: %(reason)s")),
    (re.compile(r"Signer key (?P<kid>[0-9a-f]+) revoked: (?P<reason>.*)", re.S),
     N_("Signer key %(kid)s revoked: %(reason)s")),
]


# Whole reasons the registry writes for its keys, and the one a delivery short of its
# shipments gets: one part per line, joined with "; ".
_FIXED_REASONS = frozenset((N_("first signer key"), N_("rotated"), N_("rotation"),
                            N_("replaces a revoked key")))
_SHORT_LINE = re.compile(r"line (?P<line>\d+): (?P<received>\d+) received of "
                         r"(?P<shipped>\d+) shipped")


def recorded_reason(text: str | None) -> str | None:
    """A stored reason in the reader's language when the registry wrote it; a regulator's own
    words are kept as typed."""
    from flask_babel import gettext

    if text in _FIXED_REASONS:
        return gettext(text)
    short = [_SHORT_LINE.fullmatch(part) for part in (text or "").split("; ")]
    if text and all(short):
        return gettext("; ").join(
            gettext("line %(line)s: %(received)s received of %(shipped)s shipped",
                    **match.groupdict()) for match in short)
    for pattern, message in _RECORDED_REASONS:
        match = text and pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            if "what" in values:
                values["what"] = gettext(values["what"])
            return gettext(message, **values)
    return text


def verdict_sentence(text: str) -> str:
    """A verification reason or warning in the reader's language; unknown text is kept."""
    from flask_babel import gettext

    out, position = [], 0
    while position < len(text):
        for pattern, message in _VERDICT_PATTERNS:
            match = pattern.match(text, position)
            if match:
                values = match.groupdict()
                if "why" in values:
                    values["why"] = label(REVOCATION_REASONS, values["why"])
                if "reason" in values:
                    values["reason"] = recorded_reason(values["reason"])
                out.append(gettext(message, **values) if values else gettext(message))
                position = match.end()
                break
        else:
            out.append(text[position:])
            break
    return "".join(out)
