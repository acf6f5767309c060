"""What a page says about a bad field, in plain words as GOV.UK services write them ("Select the
country", "Enter a quantity of 1 or more"): one sentence per field and problem, from the error's
code and parameters. The API keeps its own terse messages; a field or code not listed here is
shown with that message."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from ..errors import FieldError

# Codes that mean "nothing usable was given or chosen"; a field's sentence then says what to do.
_ABSENT = {"missing", "choice", "number", "too_small", "date", "email", "decimal"}

# A form's field with its row number taken out: goods_quantity_2 -> goods_quantity.
_ROW = [(re.compile(r"^beneficial_owners\.(\d+)\.(name|nationality)$"), r"owner_\2"),
        (re.compile(r"^goods_(\w+?)_(\d+)$"), r"goods_\1"),
        (re.compile(r"^quantity_(\d+)$"), "line_quantity"),
        (re.compile(r"^transit_countries\.(\d+)$"), "transit_countries")]

_WHEN_ABSENT = {
    "legal_name": _l("Enter the legal name"),
    "kind": _l("Select whether the broker is an individual or a company"),
    "country": _l("Select the country"),
    "company_number": _l("Enter the company number"),
    "address": _l("Enter the address"),
    "email": _l("Enter an email address"),
    "activities": _l("Select at least one activity"),
    "beneficial_owners": _l("Enter at least one beneficial owner"),
    "owner_name": _l("Enter the owner’s name"),
    "owner_nationality": _l("Select the owner’s nationality"),
    "convictions_details": _l("Enter the details of the convictions"),
    "display_name": _l("Enter your name"),
    "password": _l("Enter a password"),
    "new_password": _l("Enter a new password"),
    "current_password": _l("Enter your current password"),
    "role": _l("Select a role"),
    "broker_id": _l("Select the registration the deal is brokered under"),
    "supplier_name": _l("Enter the supplier’s name"),
    "supplier_address": _l("Enter the supplier’s address"),
    "supplier_country": _l("Select the supplier’s country"),
    "consignee_name": _l("Enter the consignee’s name"),
    "consignee_address": _l("Enter the consignee’s address"),
    "consignee_country": _l("Select the consignee’s country"),
    "end_user_name": _l("Enter the end user’s name"),
    "end_user_address": _l("Enter the end user’s address"),
    "end_user_country": _l("Select the end user’s country"),
    "end_user_kind": _l("Select the kind of end user"),
    "destination_country": _l("Select the final destination from the list"),
    "transit_countries": _l("Select the transit countries from the list"),
    "goods": _l("Enter at least one goods line"),
    "goods_description": _l("Enter a description of the goods"),
    "goods_category": _l("Select a category"),
    "goods_quantity": _l("Enter a quantity of 1 or more"),
    "goods_unit": _l("Select a unit"),
    "goods_unit_value": _l("Enter the unit value as a number, like 1250.00"),
    "goods_currency": _l("Enter a currency code, like EUR"),
    "end_use": _l("Enter the stated end use"),
    "transport": _l("Enter who transports the goods"),
    "financing": _l("Enter who finances the deal"),
    "valid_until": _l("Enter a date, for example 31 1 2027"),
    "since": _l("Enter a date, for example 31 1 2027"),
    "until": _l("Enter a date, for example 31 1 2027"),
    "decision": _l("Select a decision"),
    "reason": _l("Enter a reason"),
    "response": _l("Enter your answer"),
    "reason_code": _l("Select the reason code on the revocation list"),
    "line_quantity": _l("Enter a quantity of 0 or more"),
}

# (field, code) pairs that need their own sentence.
_SPECIAL = {
    ("email", "email"): _l("Enter an email address in the correct format, like "
                           "name@example.com"),
    ("goods_quantity", "too_big"): _l("Enter a quantity of %(le)s or fewer"),
    ("line_quantity", "over_left"): _l("Enter a quantity of %(left)s or fewer: that is what "
                                       "is left of line %(line)s"),
    ("goods_unit_value", "money_pair"): _l("Enter both the unit value and the currency, or "
                                           "neither"),
    ("valid_until", "past"): _l("Enter a date in the future"),
    ("until", "before_since"): _l("Enter an end date on or after the start date"),
    ("valid_until", "too_far"): _l("Enter a date at most two years from today"),
    ("transit_countries", "twice"): _l("Select each transit country once"),
    ("activities", "twice"): _l("Select each activity once"),
    ("goods", "too_long"): _l("Enter at most %(max_length)s goods lines"),
    ("password", "too_short"): _l("Enter a password of at least %(min_length)s characters"),
    ("new_password", "too_short"): _l("Enter a password of at least %(min_length)s "
                                      "characters"),
}

_ANY_FIELD = {
    "too_long": _l("%(label)s must be %(max_length)s characters or fewer"),
    "control_character": _l("%(label)s must not contain control characters"),
    "format_character": _l("%(label)s must not contain characters that reorder text"),
}


class Plain(str):
    """A sentence of this table: it stands alone, where an API message needs its field named."""


def field_kind(field: str) -> str:
    """The field without its row number: 'goods_quantity_2' -> 'goods_quantity'."""
    for pattern, kind in _ROW:
        if pattern.match(field):
            return pattern.sub(kind, field)
    return field


def plain_message(field: str, error: FieldError) -> str:
    """The page's sentence for `error`, about the form control named `field`."""
    from .labels import field_label

    kind, params = field_kind(field), {k: v for k, v in error.params.items()
                                       if isinstance(v, str | int)}
    special = _SPECIAL.get((kind, error.code))
    if special is not None:
        return Plain(special % params if params else special)
    if error.code in _ABSENT and kind in _WHEN_ABSENT:
        return Plain(_WHEN_ABSENT[kind])
    if error.code in _ANY_FIELD and (error.code != "too_long" or "max_length" in params):
        return Plain(_ANY_FIELD[error.code] % {**params, "label": field_label(field)})
    return error.message


_OWNER = re.compile(r"^beneficial_owners\.(\d+)\.(name|nationality)$")
_GOODS_ROW = re.compile(r"^goods_\w+?_(\d+)$")


def control_id(field: str) -> str:
    """The id of the form control an error summary links to for `field`."""
    owner = _OWNER.match(field)
    if owner:
        return f"owner_{owner[2]}_{owner[1]}"
    return field.split(".")[0]


def row_of(field: str, message: str = "") -> str:
    """What the summary says before a message: 'Line 3: ' or 'Owner 2: ' before a plain
    sentence about a repeated row; the field's name before an API message ("Markings of line
    1: more markings than items"), which does not say what it is about."""
    from flask_babel import gettext

    from .labels import field_label

    if not isinstance(message, Plain):
        return gettext("%(label)s: ", label=field_label(field)) if field != "body" else ""
    owner, goods = _OWNER.match(field), _GOODS_ROW.match(field)
    if owner:
        return gettext("Owner %(n)s: ", n=int(owner[1]) + 1)
    if goods:
        return gettext("Line %(n)s: ", n=int(goods[1]) + 1)
    return ""
