"""The OpenAPI document turned into what the `/api/docs` page lists, for people."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 3


@dataclass
class Field:
    name: str
    type: str
    required: bool
    description: str = ""


@dataclass
class PageOperation:
    method: str
    path: str
    summary: str
    permission: str | None
    roles: list[str]
    status: str
    parameters: list[Field] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    body_media: str | None = None
    example: str | None = None
    anchor: str = ""


def operations_for_page(spec: dict[str, Any]) -> list[tuple[str, list[PageOperation]]]:
    schemas = spec["components"]["schemas"]
    groups: dict[str, list[PageOperation]] = {}
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            tag = (operation.get("tags") or ["Other"])[0]
            groups.setdefault(tag, []).append(_page_operation(path, method, operation, schemas))
    return list(groups.items())


def _page_operation(path, method, operation, schemas) -> PageOperation:
    success = next((code for code in operation["responses"] if code.startswith("2")), "default")
    page = PageOperation(
        method=method.upper(), path=path, summary=operation["summary"],
        permission=operation.get("x-permission"), roles=operation.get("x-roles", []),
        status=success, anchor=operation["operationId"],
        parameters=[Field(p["name"], f"{p['in']}: {describe(p['schema'], schemas)}",
                          p.get("required", False), p.get("description", ""))
                    for p in operation.get("parameters", [])])
    body = operation.get("requestBody")
    if body:
        media, content = next(iter(body["content"].items()))
        page.body_media = media + ("" if body.get("required") else " (optional)")
        page.fields = list(fields_of(content["schema"], schemas))
        if "example" in content:
            page.example = json.dumps(content["example"], indent=2, ensure_ascii=False)
    return page


def resolve(schema: dict[str, Any], schemas) -> dict[str, Any]:
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _nullable(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    options = schema.get("anyOf")
    if options and any(o.get("type") == "null" for o in options):
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 1:
            return rest[0], True
    return schema, False


def fields_of(schema, schemas, prefix: str = "", depth: int = 0):
    schema = resolve(schema, schemas)
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        inner, nullable = _nullable(prop)
        inner = resolve(inner, schemas)
        yield Field(prefix + name, describe(prop, schemas) + (" or null" if nullable else ""),
                    name in required, prop.get("description", ""))
        if depth >= MAX_DEPTH:
            continue
        if inner.get("type") == "object" and "properties" in inner:
            yield from fields_of(inner, schemas, f"{prefix}{name}.", depth + 1)
        items = resolve(inner.get("items", {}), schemas) if inner.get("type") == "array" else {}
        if items.get("properties"):
            yield from fields_of(items, schemas, f"{prefix}{name}[].", depth + 1)


def describe(schema: dict[str, Any], schemas) -> str:
    schema, _ = _nullable(schema)
    if "$ref" in schema:
        target = resolve(schema, schemas)
        return "object" if target.get("type") == "object" else describe(target, schemas)
    if "const" in schema:
        return json.dumps(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(describe(option, schemas) for option in schema["anyOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        text = "list of " + describe(schema.get("items", {}), schemas)
        return text + _bounds(schema, "minItems", "maxItems", "items")
    if kind == "string":
        text = "string" + (f" ({schema['format']})" if "format" in schema else "")
        return text + _bounds(schema, "minLength", "maxLength", "characters")
    if kind == "integer":
        return "integer" + _bounds(schema, "minimum", "maximum", "")
    return str(kind)


def _bounds(schema, low: str, high: str, unit: str) -> str:
    lo, hi = schema.get(low), schema.get(high)
    unit = f" {unit}" if unit else ""
    if lo is not None and hi is not None:
        return f", {lo} to {hi}{unit}"
    if hi is not None:
        return f", at most {hi}{unit}"
    if lo is not None:
        return f", at least {lo}{unit}"
    return ""
