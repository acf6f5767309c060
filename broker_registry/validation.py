"""Input types shared by every schema: clean text, countries, currencies, and error mapping."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic import ValidationError as PydanticValidationError

from .errors import FieldError, ValidationFailed
from .reference.countries import is_country
from .reference.currencies import is_currency

# Bidirectional overrides and isolates reorder what a reader sees (a "Trojan Source" name);
# plain marks (LRM, RLM, ALM) that Arabic and Hebrew text legitimately carry are kept.
_REFUSED_FORMAT = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


class Refused(ValueError):
    """A validator's refusal with a code (see FieldError.code) pages turn into plain words."""

    def __init__(self, code: str, message, **params):
        super().__init__(message)
        self.code, self.params = code, params


def _clean(value: str, *, multiline: bool) -> str:
    value = unicodedata.normalize("NFC", value).strip()
    allowed_controls = {"\n", "\t", "\r"} if multiline else set()
    for char in value:
        if char in _REFUSED_FORMAT:
            raise Refused("format_character", _l("contains a bidirectional override character"))
        if unicodedata.category(char) == "Cc" and char not in allowed_controls:
            raise Refused("control_character", _l("contains a control character"))
    return value.replace("\r\n", "\n")


def _line(value: str) -> str:
    value = _clean(value, multiline=False)
    if not value:
        raise Refused("missing", _l("must not be empty"))
    return value


def _block(value: str) -> str:
    value = _clean(value, multiline=True)
    if not value:
        raise Refused("missing", _l("must not be empty"))
    return value


def _country(value: str) -> str:
    if not is_country(value):
        raise Refused("choice", _l("'%(value)s' is not an ISO 3166-1 alpha-2 country code",
                            value=value))
    return value


def _currency(value: str) -> str:
    if not is_currency(value):
        raise Refused("choice", _l("'%(value)s' is not an ISO 4217 currency code", value=value))
    return value


def Line(max_length: int = 200):  # noqa: N802 - reads as a type in schemas
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_line)]


def Block(max_length: int = 4000):  # noqa: N802
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_block)]


Country = Annotated[str, StringConstraints(min_length=2, max_length=2), AfterValidator(_country)]
Currency = Annotated[str, StringConstraints(min_length=3, max_length=3),
                     AfterValidator(_currency)]


class Input(BaseModel):
    """Base of every request schema: unknown fields are errors, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# Pydantic's own messages are English; these say the common ones in the request's language.
def _choices(ctx: dict) -> str:
    """Pydantic's "'a', 'b' or 'c'" as "a, b, c": the values alone, with no English "or"."""
    expected = str(ctx.get("expected", ""))
    return ", ".join(re.findall(r"'([^']*)'", expected)) or expected


_PYDANTIC_MESSAGES = {
    "extra_forbidden": lambda ctx: _l("is not a field of this request"),
    "missing": lambda ctx: _l("is required"),
    "string_too_short": lambda ctx: _l("must not be empty") if ctx.get("min_length") == 1
    else _l("must have at least %(n)s characters", n=ctx.get("min_length")),
    "string_too_long": lambda ctx: _l("must have at most %(n)s characters",
                                      n=ctx.get("max_length")),
    "too_short": lambda ctx: _l("must have at least %(n)s items", n=ctx.get("min_length")),
    "too_long": lambda ctx: _l("must have at most %(n)s items", n=ctx.get("max_length")),
    "literal_error": lambda ctx: _l("must be one of %(values)s", values=_choices(ctx)),
    "enum": lambda ctx: _l("must be one of %(values)s", values=_choices(ctx)),
    "string_type": lambda ctx: _l("must be text"),
    "int_type": lambda ctx: _l("must be a whole number"),
    "int_parsing": lambda ctx: _l("must be a whole number"),
    "int_from_float": lambda ctx: _l("must be a whole number"),
    "bool_type": lambda ctx: _l("must be true or false"),
    "list_type": lambda ctx: _l("must be a list"),
    "dict_type": lambda ctx: _l("must be an object"),
    "model_type": lambda ctx: _l("must be an object"),
    "greater_than": lambda ctx: _l("must be greater than %(n)s", n=ctx.get("gt")),
    "greater_than_equal": lambda ctx: _l("must be at least %(n)s", n=ctx.get("ge")),
    "less_than": lambda ctx: _l("must be less than %(n)s", n=ctx.get("lt")),
    "less_than_equal": lambda ctx: _l("must be at most %(n)s", n=ctx.get("le")),
}


# Pydantic's error types as the codes of FieldError; a type not listed keeps its own name.
_CODES = {"missing": "missing", "string_too_long": "too_long", "too_long": "too_long",
          "literal_error": "choice", "enum": "choice", "greater_than": "too_small",
          "greater_than_equal": "too_small", "less_than": "too_big", "less_than_equal": "too_big",
          "int_parsing": "number", "int_type": "number", "int_from_float": "number"}


def _code(kind: str, context: dict) -> tuple[str, dict]:
    refusal = context.get("error")
    if isinstance(refusal, Refused):
        return refusal.code, refusal.params
    if kind in ("string_too_short", "too_short"):  # "" for a country, [] for the goods
        return ("missing" if context.get("min_length", 1) <= 2 else "too_short"), context
    if kind == "value_error" and "reason" in context:
        return "email", {}
    return _CODES.get(kind, kind), {k: v for k, v in context.items() if k != "error"}


def field_errors(error: PydanticValidationError) -> list[FieldError]:
    errors = []
    for item in error.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in item["loc"]) or "body"
        message = item["msg"].removeprefix("Value error, ")
        named = re.match(r"^([a-z_][a-z0-9_.]*): (.+)$", message)
        if named:  # a model validator naming its field: "goods.0" + "unit_value: ..."
            field, message = named.groups()
            location = field if location == "body" else f"{location}.{field}"
        context = item.get("ctx") or {}
        if item["type"] in _PYDANTIC_MESSAGES:
            message = _PYDANTIC_MESSAGES[item["type"]](context)
        elif item["type"] == "value_error" and "reason" in context:  # email_validator's
            message = _l("is not a valid email address")
        code, params = _code(item["type"], context)
        errors.append(FieldError(location, str(message), code, params))
    return errors


def parse(schema: type[BaseModel], data: object):
    try:
        return schema.model_validate(data)
    except PydanticValidationError as error:
        raise ValidationFailed(field_errors(error)) from None


def parse_value(kind, value, field: str):
    """Validate one query parameter against an annotated type; None stays None."""
    if value is None or value == "":
        return None
    from pydantic import TypeAdapter

    try:
        return TypeAdapter(kind).validate_python(value)
    except PydanticValidationError as error:
        raise ValidationFailed([FieldError(field, e.message, e.code, e.params)
                                for e in field_errors(error)]) \
            from None


def one_of(enum) -> object:
    """An enum's values as a Literal: strict validation takes the JSON string, not the member."""
    from typing import Literal

    return Literal[tuple(member.value for member in enum)]


DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def whole_number(text: str, *, digits: int = 18) -> int | None:
    """`text` as a whole number if it is one written in ASCII digits, at most `digits` long;
    otherwise None. `str.isdigit` alone also passes "²" and numbers too long for `int`."""
    if text.isascii() and text.isdigit() and len(text) <= digits:
        return int(text)
    return None


def number_or_text(text: str, *, digits: int = 11) -> int | str:
    """A form field as a number the schema can range-check, or the text as typed for it to
    refuse by name ("must be a whole number")."""
    number = whole_number(text, digits=digits)
    return text if number is None else number


def parse_rfc3339(value: object, *, dates: bool = True):
    """An RFC 3339 date-time with an offset, as UTC; with `dates`, a bare date too (valid to
    the end of that day, UTC). A ValueError with a sentence for anything else, however odd."""
    from datetime import UTC, datetime, time

    if not isinstance(value, str) or len(value) > 40:
        raise Refused("date", _l("must be an RFC 3339 date or date-time") if dates
                      else _l("must be an RFC 3339 date-time"))
    try:
        if dates and DATE_ONLY.fullmatch(value):
            moment = datetime.combine(datetime.fromisoformat(value).date(), time(23, 59, 59),
                                      tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise Refused("date", _l("'%(value)s' is not an RFC 3339 date or date-time",
                                 value=value)) from None
    if moment.tzinfo is None:
        raise Refused("date", _l("a date-time needs a UTC offset, e.g. 2027-01-31T12:00:00Z"))
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 is before the first representable instant
        raise Refused("date", _l("'%(value)s' is out of range", value=value)) from None
