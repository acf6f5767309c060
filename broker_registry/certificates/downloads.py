"""Serving a certificate's QR images and PDF, to the API (bearer) and the pages (session)."""

from __future__ import annotations

from flask import Response

from .. import db
from ..auth import current_account
from . import rendering, service


def download_response(number: str, name: str) -> Response:
    session, account, kind = db.session(), current_account(), name.rsplit(".", 1)[1]
    found = rendering.cached(session, number, kind)  # the common case, in one query
    if found is not None and found.body is not None \
            and service.may_read(session, account, found.licence_id):
        body, number = found.body, found.number
    else:  # not rendered yet, or not theirs (get_for answers 404)
        certificate = service.get_for(session, account, number)
        body, number = rendering.rendering(session, certificate, kind), certificate.number
        session.commit()
    response = Response(body, mimetype=rendering.MEDIA_TYPES[kind])
    response.headers["Cache-Control"] = "private, max-age=86400"
    if kind == "pdf":
        response.headers["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    return response
