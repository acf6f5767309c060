"""`GET /api/v1/audit`: the audit log, newest first, with filters (reading.py)."""

from __future__ import annotations

from flask import Blueprint

from .. import db
from ..permissions import Permission
from ..web.auth import requires
from ..web.json_api import page
from .reading import entries, entry_json, read_query, seq_of

bp = Blueprint("audit_api", __name__, url_prefix="/api/v1")


@bp.get("/audit")
@requires(Permission.AUDIT_READ)
def list_entries():
    filters, limit, before = read_query()
    rows = entries(db.session(), filters=filters, limit=limit, before=before)
    return page(rows, limit, entry_json, key=seq_of)
