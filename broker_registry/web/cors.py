"""Cross-origin reads of the public, credential-free resources a verifier needs.

Another state's customs web app, served from its own origin, must be able to fetch the trust
list, the revocation lists, the content schema, the specification and its test vectors, and
read their ETag (to ask again with If-None-Match) and Date (to check its clock). Those views
are marked @cross_origin; every other answer, and above all any that needs a login, carries no
CORS header at all. If-None-Match is not a CORS-safelisted request header, so a browser first
sends a preflight OPTIONS, which Flask answers for every GET route: it gets the grant here.
"""

from __future__ import annotations

from flask import Flask, request

EXPOSED = "ETag, Date"
PREFLIGHT = {"Access-Control-Allow-Methods": "GET",
             "Access-Control-Allow-Headers": "If-None-Match",
             "Access-Control-Max-Age": "86400"}


def cross_origin(view):
    """Mark a public view as readable from any origin (no credentials are ever involved)."""
    view.cross_origin = True
    return view


def init_app(app: Flask) -> None:
    @app.after_request
    def grant(response):
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if not getattr(view, "cross_origin", False):
            return response
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
        if request.method == "OPTIONS":
            response.headers.update(PREFLIGHT)
        return response
