from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from .. import db
from ..permissions import Permission
from ..web.auth import current_account, requires
from ..web.json_api import encode_cursor, page_args
from . import service

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@requires(Permission.SELF_READ)
def index():
    limit, after = page_args()
    rows = service.for_account(db.session(), current_account().id, limit=limit, after=after)
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return render_template("notifications/index.html", notifications=rows[:limit],
                           next_cursor=next_cursor)


@bp.post("/notifications/read")
@requires(Permission.SELF_READ)
def mark_read():
    session = db.session()
    service.mark_all_read(session, current_account().id)
    session.commit()
    return redirect(url_for("notifications.index"))
