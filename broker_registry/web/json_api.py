"""The JSON API's plumbing: reading bodies, writing answers, paginating lists."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any

from flask import Response, jsonify, request
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel

from ..errors import DomainError, PayloadTooLarge, UnsupportedMediaType, invalid
from ..validation import parse, whole_number

JSON_BODY_LIMIT = 256 * 1024
DEFAULT_LIMIT, MAX_LIMIT = 50, 500


class BadRequest(DomainError):
    status = 400
    title = "Bad request"


def _not_json(constant: str):
    """NaN, Infinity and -Infinity: Python reads them, JSON (RFC 8259) has no such numbers."""
    raise ValueError(f"{constant} is not a JSON number")


def json_body(schema: type[BaseModel] | None = None, *, allow_empty: bool = False):
    """The request body as a validated schema instance; 400, 413 or 422 when it is not."""
    if request.content_length is not None and request.content_length > JSON_BODY_LIMIT:
        raise PayloadTooLarge(_l("JSON bodies are limited to %(n)s bytes.", n=JSON_BODY_LIMIT))
    raw = request.get_data(cache=True)
    if len(raw) > JSON_BODY_LIMIT:
        raise PayloadTooLarge(_l("JSON bodies are limited to %(n)s bytes.", n=JSON_BODY_LIMIT))
    if not raw.strip():
        if allow_empty:
            data: Any = {}
        else:
            raise BadRequest(_l("The request needs a JSON body."))
    else:
        if not request.is_json:
            raise UnsupportedMediaType(_l("Send the body as JSON, with Content-Type: "
                                          "application/json."))
        try:
            data = json.loads(raw, parse_constant=_not_json)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise BadRequest(_l("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        # no fields to name, so not a 422: the body as a whole is not what any operation reads
        raise BadRequest(_l("The request body must be a JSON object."))
    return parse(schema, data) if schema else data


def created(body: dict, location: str) -> Response:
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def page_args() -> tuple[int, int | None]:
    """`?limit=` and the opaque `?cursor=` (the last id seen, so pages are keyset, not offset)."""
    limit = whole_number(request.args.get("limit", str(DEFAULT_LIMIT)), digits=4)
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", _l("must be a whole number from 1 to %(n)s", n=MAX_LIMIT))
    cursor = request.args.get("cursor")
    if cursor is None:
        return limit, None
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode("ascii") + b"==").decode("ascii")
    except (ValueError, UnicodeError):
        decoded = ""
    after = whole_number(decoded, digits=10)
    if after is None or not after < 2**31:  # ids are 32-bit integers
        raise invalid("cursor", _l("is not a cursor this API gave out"))
    return limit, after


def page(items: Sequence[Any], limit: int, serialise: Callable[[Any], dict],
         key: Callable[[Any], int] = lambda item: item.id) -> Response:
    """The answer to a list: `items` was fetched with limit + 1 rows (see next_cursor)."""
    return jsonify({"items": [serialise(item) for item in items[:limit]],
                    "next_cursor": next_cursor(items, limit, key)})


def next_cursor(items: Sequence[Any], limit: int,
                key: Callable[[Any], int] = lambda item: item.id) -> str | None:
    """The cursor of the next page, when `items` (fetched with limit + 1 rows) has one more
    than a page: `key` of the page's last item, the id the next page starts after."""
    return encode_cursor(key(items[limit - 1])) if len(items) > limit else None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
