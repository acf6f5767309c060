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
    "refused_on_arrival": _l("recorded offline, refused on arrival"),
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
