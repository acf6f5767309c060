"""Serving a certificate's QR images and PDF, to the API (bearer) and the pages (session)."""

from __future__ import annotations

from flask import Response, current_app

from .. import db
from ..web.auth import current_account, current_principal
from . import rendering, service
from .fonts import uses_fallback


def download_response(number: str, name: str) -> Response:
    # Who asks first: on the pages that opens the session, whose connection then reads.
    principal, kind = current_principal(), name.rsplit(".", 1)[1]
    reader = db.reader()
    # The common case: held in memory, or one query; on the API no session at all.
    found = current_app.extensions["renderings"].get(reader, number, kind)
    if found is not None and found.body is not None \
            and service.may_read(reader, principal, found.licence_id):
        body, number = found.body, found.number
    else:  # not rendered yet, or not theirs (get_for answers 404)
        session = db.session()
        certificate = service.get_for(session, current_account(), number)
        font_file = current_app.config["SETTINGS"].cjk_font
        body = rendering.rendering(session, certificate, kind, font_file=font_file)
        number = certificate.number
        session.commit()
    response = Response(body, mimetype=rendering.MEDIA_TYPES[kind])
    response.headers["Cache-Control"] = "private, max-age=86400"
    if kind == "pdf" and uses_fallback(current_app.config["SETTINGS"].cjk_font) \
            and (found is None or found.body is None):
        response.headers["Cache-Control"] = "no-store"  # drawn without its font: not for keeps
    if kind == "pdf":
        response.headers["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    return response
