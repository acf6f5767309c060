"""The OpenAPI 3.1 document, built from the app's URL map and the operations table."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ..permissions import ROLE_PERMISSIONS
from .operations import OPERATIONS, Operation
from .responses import Problem

PREFIX = "/api/v1/"
_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
PROBLEMS = {
    400: "The body is not readable (not JSON, or not an object)",
    401: "No valid bearer token",
    403: "The caller's role may not do this",
    404: "Not found, or not the caller's",
    409: "The current state forbids the action; `detail` names that state",
    413: "The body is larger than the endpoint accepts",
    415: "The body is not sent as application/json",
    422: "Fields fail validation; `errors` names each",
    429: "Too many requests; retry after `Retry-After` seconds",
    503: "The deployment is not ready (e.g. no keys yet)",
}
MAX_ID = 2**31 - 1
CROSS_ORIGIN = {"x-cross-origin": {
    "description": "Readable from any origin: answers carry `Access-Control-Allow-Origin: *` "
                   "and expose ETag and Date; a preflight OPTIONS is granted GET with "
                   "If-None-Match for a day. No credentials are involved.",
    "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Date",
    "Access-Control-Allow-Headers": "If-None-Match"}}


def document(app: Flask) -> dict[str, Any]:
    """The document, built once per app: routes do not change after start."""
    if "openapi_document" not in app.extensions:
        app.extensions["openapi_document"] = build(app)
    return app.extensions["openapi_document"]


def operation_keys(rule) -> list[tuple[str, str, dict[str, str]]]:
    """(OpenAPI path, operations-table key, fixed parts) for a rule; an `any(...)` part gives
    one path per choice."""
    expansions: list[tuple[str, str, dict[str, str]]] = [(rule.rule, rule.endpoint, {})]
    for name, converter in rule._converters.items():
        if type(converter).__name__ != "AnyConverter":
            continue
        expansions = [(path, f"{key}:{choice}", {**fixed, name: choice})
                      for path, key, fixed in expansions for choice in sorted(converter.items)]
    found = []
    for path, key, fixed in expansions:
        def substitute(match, fixed=fixed):
            name = match.group(2)
            return fixed[name] if name in fixed else "{" + name + "}"

        found.append((_PARAM.sub(substitute, path), key, fixed))
    return found


def api_rules(app: Flask):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith(PREFIX):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def build(app: Flask) -> dict[str, Any]:
    models = _models()
    refs, schemas = _schemas(models)
    paths: dict[str, dict[str, Any]] = {}
    for rule, method in api_rules(app):
        view = app.view_functions[rule.endpoint]
        permission = getattr(view, "required_permission", None)
        for path, key, _fixed in operation_keys(rule):
            spec = OPERATIONS.get(key)
            operation = (_operation(spec, key, rule, permission, refs) if spec else
                         _undocumented(key, permission))
            if getattr(view, "cross_origin", False):
                operation.update(CROSS_ORIGIN)
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "broker_registry API",
            "version": "1",
            "description": "Registration of arms brokers, brokering licences, and signed "
                           "end-user certificates that customs verify at the border.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "POST /api/v1/auth/token"}},
        },
    }


def _models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = [Problem]
    for spec in OPERATIONS.values():
        for model in (spec.request, spec.response):
            if model is not None and model not in found:
                found.append(model)
    return found


def _schemas(models) -> tuple[dict[tuple[type, str], str], dict[str, Any]]:
    pairs = [(m, mode) for m in models for mode in ("validation", "serialization")]
    key_map, top = models_json_schema(pairs, ref_template="#/components/schemas/{model}")
    refs = {pair: schema["$ref"] for pair, schema in key_map.items()}
    return refs, top.get("$defs", {})


def _ref(refs, model, mode: str) -> dict[str, str]:
    return {"$ref": refs[(model, mode)]}


def roles_with(permission) -> list[str]:
    return sorted(str(role) for role, granted in ROLE_PERMISSIONS.items() if permission in granted)


def _access(permission) -> dict[str, Any]:
    if permission is None:
        return {"security": [], "x-permission": None, "x-roles": ["anyone"]}
    return {"security": [{"bearer": []}], "x-permission": str(permission),
            "x-roles": roles_with(permission)}


def _operation(spec: Operation, key: str, rule, permission, refs) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": key.replace(".", "_").replace(":", "_").replace("-", "_"),
        "summary": spec.summary,
        "tags": [spec.tag] if spec.tag else [],
        **_access(permission),
        "parameters": _path_parameters(rule) + _query_parameters(spec),
        "responses": _responses(spec, permission, refs),
    }
    body = _request_body(spec, refs)
    if body:
        operation["requestBody"] = body
    if not operation["parameters"]:
        del operation["parameters"]
    return operation


def _undocumented(key: str, permission) -> dict[str, Any]:
    return {"operationId": key.replace(".", "_"), "summary": "Undocumented",
            "x-undocumented": True, **_access(permission), "responses": {"default": {
                "description": "not described yet"}}}


def _path_parameters(rule) -> list[dict[str, Any]]:
    found = []
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        if kind == "AnyConverter":
            continue
        if kind == "IntegerConverter":
            schema: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        elif kind == "PathConverter":
            schema = {"type": "string", "minLength": 1, "maxLength": 100}
        else:
            schema = {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^/]+$"}
        found.append({"name": name, "in": "path", "required": True, "schema": schema})
    return found


def _query_parameters(spec: Operation) -> list[dict[str, Any]]:
    found = [{"name": q.name, "in": "query", "required": False, "description": q.description,
              "schema": q.schema} for q in spec.query]
    if spec.idempotent_retry:
        found.append({"name": "Idempotency-Key", "in": "header", "required": False,
                      "description": "a retry with the same key and body is answered as the "
                                     "first time and counted once",
                      "schema": {"type": "string", "maxLength": 200}})
    return found


def _request_body(spec: Operation, refs) -> dict[str, Any] | None:
    if spec.multipart:
        properties = {name: {"type": "string", "format": "binary", "description": text}
                      for name, text in spec.multipart.items()}
        return {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "properties": properties, "required": sorted(properties)}}}}
    if spec.request is None:
        return None
    media: dict[str, Any] = {"schema": _ref(refs, spec.request, "validation")}
    if spec.example is not None:
        media["example"] = spec.example
    return {"required": not spec.body_optional, "content": {"application/json": media}}


def _responses(spec: Operation, permission, refs) -> dict[str, Any]:
    success: dict[str, Any] = {"description": spec.summary}
    if spec.response is not None:
        content = {"application/json": {"schema": _ref(refs, spec.response, "serialization")}}
        if spec.media != "application/json":
            content = {spec.media: {"schema": {"type": "string",
                                               "contentMediaType": spec.media}}, **content}
        success["content"] = content
    else:
        schema = ({"type": "object"} if spec.media.endswith("json") else
                  {"type": "string", "contentMediaType": spec.media})
        success["content"] = {spec.media: {"schema": schema}}
    if spec.status == 201:
        success["headers"] = {"Location": {"schema": {"type": "string"},
                                           "description": "where the new resource lives"}}
    responses: dict[str, Any] = {str(spec.status): success}
    if spec.not_modified:
        responses["304"] = {"description": "unchanged since the ETag in If-None-Match"}
    problem = {"application/problem+json": {"schema": _ref(refs, Problem, "serialization")}}
    for status, text in PROBLEMS.items():
        if status in (401, 403) and permission is None and status not in spec.also:
            continue
        responses[str(status)] = {"description": text, "content": problem}
    return responses
