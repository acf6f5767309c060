"""Pages post plain HTML forms; these helpers feed them through the same schemas as the API."""

from __future__ import annotations

from flask import request

from .errors import ValidationFailed


def form_text(name: str) -> str | None:
    value = request.form.get(name, "")
    return value if value.strip() else None


def errors_by_field(error: ValidationFailed) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in error.errors:
        found.setdefault(item.field, item.message)
    if not error.errors:
        found["body"] = error.detail
    return found
