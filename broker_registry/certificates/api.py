from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import lazy_gettext as _l

from .. import db
from ..db.columns import rfc3339
from ..errors import NotFound
from ..federation import notices as federation
from ..keys.authority import authority, key_store
from ..permissions import Permission
from ..sanctions.service import revoke_certificate
from ..web.auth import current_account, public, requires
from ..web.cors import cross_origin
from ..web.extensions import PUBLIC_LISTS, limiter
from ..web.json_api import created, json_body, page, page_args
from ..web.serialise import public as as_public
from . import service
from .downloads import download_response
from .schemas import CertificatePublic, IssueRequest, Revocation

bp = Blueprint("certificates_api", __name__, url_prefix="/api/v1")


def certificate_json(certificate) -> dict:
    session = db.session()
    return as_public(CertificatePublic, certificate, status=str(certificate.effective_status),
                     licence_number=certificate.content.get("licence_number"),
                     remaining=service.remaining(session, certificate))


@bp.post("/licences/<int:licence_id>/certificates")
@requires(Permission.CERTIFICATE_ISSUE)
def issue(licence_id: int):
    body = json_body(IssueRequest, allow_empty=True)
    session = db.session()
    certificate = service.issue(session, actor=current_account(), licence_id=licence_id,
                                lines=body.lines, valid_until=body.valid_until,
                                authority=authority(), store=key_store())
    session.commit()
    return created(certificate_json(certificate), f"/api/v1/certificates/{certificate.number}")


@bp.get("/certificates/<number>")
@requires(Permission.CERTIFICATE_READ)
def get(number: str):
    session = db.session()
    certificate = service.get_for(session, current_account(), number)
    reported = [{"authority": r.authority_code, "border_post": r.border_post,
                 "crossed_at": rfc3339(r.crossed_at), "lines": r.lines, "notice_id": r.notice_id,
                 "over_draw": r.over_draw}
                for r in federation.received_for(session, certificate.id)]
    return jsonify({**certificate_json(certificate), "reported_crossings": reported})


@bp.get("/certificates/<number>/<any('qr.png', 'qr.svg', 'certificate.pdf'):name>")
@requires(Permission.CERTIFICATE_DOWNLOAD)
def download(number: str, name: str):
    return download_response(number, name)


@bp.post("/certificates/<number>/revoke")
@requires(Permission.CERTIFICATE_REVOKE)
def revoke(number: str):
    body = json_body(Revocation)
    session = db.session()
    certificate = revoke_certificate(session, actor=current_account(), number=number,
                                     reason=body.reason, code=body.reason_code)
    session.commit()
    return jsonify(certificate_json(certificate))


@bp.get("/schemas/euc-v1.json")
@limiter.limit(PUBLIC_LISTS)
@public
@cross_origin
def schema():
    from certs.content import json_schema

    response = jsonify(json_schema())
    response.mimetype = "application/schema+json"
    response.add_etag()  # a verifier on another origin asks again with If-None-Match
    response.cache_control.public, response.cache_control.max_age = True, 3600
    return response.make_conditional(request)


@bp.get("/licences/<int:licence_id>/certificates")
@requires(Permission.CERTIFICATE_READ)
def for_licence(licence_id: int):
    session = db.session()
    if not service.may_list(session, current_account(), licence_id):
        raise NotFound(_l("No licence %(id)s.", id=licence_id))  # nor one of theirs
    limit, after = page_args()
    return page(service.for_licence(session, licence_id, limit=limit + 1, after=after), limit,
                certificate_json)


