from __future__ import annotations

from flask import Blueprint, Response, request

from .. import db
from ..web.auth import public
from ..web.cors import cross_origin
from ..web.extensions import PUBLIC_LISTS, limiter
from . import service
from .authority import authority, key_store

bp = Blueprint("keys_api", __name__, url_prefix="/api/v1")


@bp.get("/trust-list")
@limiter.limit(PUBLIC_LISTS)
@public
@cross_origin
def trust_list():
    body, etag = service.trust_list(db.session(), key_store(), authority())
    if request.if_none_match.contains_weak(etag.strip('"')):
        response = Response(status=304)
    else:
        response = Response(body, mimetype="application/json")
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
