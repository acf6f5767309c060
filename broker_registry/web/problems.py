"""Every error answer of the JSON API is application/problem+json (RFC 9457)."""

from __future__ import annotations

import logging

from flask import Flask, Response, json, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from ..errors import DomainError, Unauthenticated, ValidationFailed

log = logging.getLogger(__name__)

PROBLEM_TYPE = "https://broker-registry.example/problems/"
MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL


def problem(status: int, title: str, detail: str, **extra) -> Response:
    body = {
        "type": PROBLEM_TYPE + title.lower().replace(" ", "-"),
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    return response


API_PREFIX = "/api/v1/"  # the JSON API; /api/docs, a page about it, is a page like any other


def wants_json() -> bool:
    # The pages' own JSON (the customs lane's /customs/....json) answers problems as the API.
    return request.path.startswith(API_PREFIX) or request.path.endswith(".json")


def domain_error_response(error: DomainError) -> Response:
    response = _domain_error_response(error)
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _domain_error_response(error: DomainError) -> Response:
    extra = {}
    if isinstance(error, ValidationFailed):
        extra["errors"] = [{"field": e.field, "message": e.message} for e in error.errors]
    if wants_json():
        return problem(error.status, error.title, error.detail, **extra)
    if isinstance(error, Unauthenticated):
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    page = render_template("errors/error.html", status=error.status, title=error.title,
                           detail=error.detail)
    return Response(page, status=error.status)


def http_error_response(error: HTTPException) -> Response:
    status = error.code or 500
    title = error.name
    detail = error.description or title
    if status == 413:
        detail = "The request body is larger than this endpoint accepts."
    if wants_json():
        response = problem(status, title, detail)
    else:
        page = render_template("errors/error.html", status=status, title=title, detail=detail,
                               reason=_page_reason(error, status))
        response = Response(page, status=status)
    if status == 429 and error.get_response().headers.get("Retry-After"):
        response.headers["Retry-After"] = error.get_response().headers["Retry-After"]
    return response


def _page_reason(error: HTTPException, status: int) -> str | None:
    """Why a page says an HTTP error, as a code the page turns into its language: "csrf" for
    a form without its token, "http" when the detail is the status's own (Werkzeug's English
    or ours), None when the detail was written for this error."""
    if isinstance(error, CSRFError):
        return "csrf"
    if status in (413, 429) or error.description in (None, type(error).description):
        return "http"
    return None


def unexpected_error_response(error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    detail = "The server failed to answer; the error has been logged."
    if wants_json():
        return problem(500, "Internal server error", detail)
    page = render_template("errors/error.html", status=500, title="Internal server error",
                           detail=detail, reason="http")
    return Response(page, status=500)


class IdConverter(IntegerConverter):
    """`<int:...>` bounded to the 32-bit ids the database holds: a larger number is a 404 from
    routing, not an overflow error from SQLite or PostgreSQL."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def init_app(app: Flask) -> None:
    # Before the blueprints register their routes, which compile with the converter.
    app.url_map.converters["int"] = IdConverter
    app.register_error_handler(DomainError, domain_error_response)
    app.register_error_handler(HTTPException, http_error_response)
    if not app.testing:
        app.register_error_handler(Exception, unexpected_error_response)
