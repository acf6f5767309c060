"""The API described: `GET /api/v1/openapi.json` (OpenAPI 3.1) and `/api/docs`, a page for people.

Both are built from the app itself (its URL map, the views' permissions, the pydantic schemas),
so what they say is what the API does.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from ..web.auth import public
from .docs import operations_for_page
from .document import document

bp = Blueprint("openapi", __name__)


@bp.get("/api/v1/openapi.json")
@public
def spec():
    return jsonify(document(current_app))


@bp.get("/api/docs")
@public
def docs():
    spec = document(current_app)
    return render_template("api/docs.html", info=spec["info"],
                           groups=operations_for_page(spec))
