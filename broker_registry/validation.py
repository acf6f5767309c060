"""Input types shared by every schema: clean text, countries, currencies, and error mapping."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic import ValidationError as PydanticValidationError

from .errors import FieldError, ValidationFailed
from .reference.countries import is_country
from .reference.currencies import is_currency

# Bidirectional overrides and isolates reorder what a reader sees (a "Trojan Source" name);
# plain marks (LRM, RLM, ALM) that Arabic and Hebrew text legitimately carry are kept.
_REFUSED_FORMAT = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _clean(value: str, *, multiline: bool) -> str:
    value = unicodedata.normalize("NFC", value).strip()
    allowed_controls = {"\n", "\t", "\r"} if multiline else set()
    for char in value:
        if char in _REFUSED_FORMAT:
            raise ValueError("contains a bidirectional override character")
        if unicodedata.category(char) == "Cc" and char not in allowed_controls:
            raise ValueError("contains a control character")
    return value.replace("\r\n", "\n")


def _line(value: str) -> str:
    value = _clean(value, multiline=False)
    if not value:
        raise ValueError("must not be empty")
    return value


def _block(value: str) -> str:
    value = _clean(value, multiline=True)
    if not value:
        raise ValueError("must not be empty")
    return value


def _country(value: str) -> str:
    if not is_country(value):
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code")
    return value


def _currency(value: str) -> str:
    if not is_currency(value):
        raise ValueError(f"'{value}' is not an ISO 4217 currency code")
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


def field_errors(error: PydanticValidationError) -> list[FieldError]:
    errors = []
    for item in error.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in item["loc"]) or "body"
        message = item["msg"].removeprefix("Value error, ")
        named = re.match(r"^([a-z_][a-z0-9_.]*): (.+)$", message)
        if named:  # a model validator naming its field: "goods.0" + "unit_value: ..."
            field, message = named.groups()
            location = field if location == "body" else f"{location}.{field}"
        if item["type"] == "extra_forbidden":
            message = "is not a field of this request"
        elif item["type"] == "missing":
            message = "is required"
        errors.append(FieldError(location, message))
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
        raise ValidationFailed([FieldError(field, e.message) for e in field_errors(error)]) \
            from None


def one_of(enum) -> object:
    """An enum's values as a Literal: strict validation takes the JSON string, not the member."""
    from typing import Literal

    return Literal[tuple(member.value for member in enum)]
