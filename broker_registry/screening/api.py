"""The admin's API for the denied-parties list: read it, correct or remove national entries."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import lazy_gettext as _l

from .. import db
from ..errors import invalid
from ..permissions import Permission
from ..web.auth import current_account, requires
from ..web.json_api import json_body, page, page_args
from . import national_list, service
from .models import DeniedSource
from .schemas import NationalEntryEdit, RemovalReason

bp = Blueprint("screening_api", __name__, url_prefix="/api/v1")
SOURCES = (DeniedSource.UN, DeniedSource.AUTHORITY)


@bp.get("/denied-parties")
@requires(Permission.SCREENING_MANAGE)
def list_parties():
    limit, after = page_args()
    source = request.args.get("source") or None
    if source is not None and source not in SOURCES:
        raise invalid("source", _l("must be one of %(values)s", values=", ".join(SOURCES)))
    rows = service.denied_parties(db.session(), source=source, limit=limit, after=after)
    return page(rows, limit, national_list.entry_dict)


@bp.get("/denied-parties/<int:entry_id>")
@requires(Permission.SCREENING_MANAGE)
def get_party(entry_id: int):
    return jsonify(national_list.entry_dict(national_list.get_entry(db.session(), entry_id)))


@bp.patch("/denied-parties/<int:entry_id>")
@requires(Permission.SCREENING_MANAGE)
def edit_party(entry_id: int):
    edit = json_body(NationalEntryEdit)
    session = db.session()
    row = national_list.edit_entry(session, actor=current_account(), entry_id=entry_id,
                                   edit=edit)
    session.commit()
    return jsonify(national_list.entry_dict(row))


@bp.post("/denied-parties/<int:entry_id>/remove")
@requires(Permission.SCREENING_MANAGE)
def remove_party(entry_id: int):
    body = json_body(RemovalReason)
    session = db.session()
    national_list.remove_entry(session, actor=current_account(), entry_id=entry_id,
                               reason=body.reason)
    session.commit()
    return jsonify({"id": entry_id, "removed": True})
