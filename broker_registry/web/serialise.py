"""Turning models into JSON-ready dicts through their public schemas, so no secret can leak."""

from __future__ import annotations

from pydantic import BaseModel


def public(schema: type[BaseModel], obj, **extra) -> dict:
    data = schema.model_validate(obj, from_attributes=True).model_dump(mode="json")
    data.update(extra)
    return data
