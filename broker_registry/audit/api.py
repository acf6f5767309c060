"""`GET /api/v1/audit`: the audit log, newest first, with filters (reading.py)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from .. import db
from ..permissions import Permission, requires
from .reading import entries, entry_json, next_cursor, read_query

bp = Blueprint("audit_api", __name__, url_prefix="/api/v1")


@bp.get("/audit")
@requires(Permission.AUDIT_READ)
def list_entries():
    filters, limit, before = read_query(request.args)
    rows = entries(db.session(), filters=filters, limit=limit, before=before)
    return jsonify({"items": [entry_json(row) for row in rows[:limit]],
                    "next_cursor": next_cursor(rows, limit)})
