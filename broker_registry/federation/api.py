"""The federation's JSON API: our metadata, the partners an admin trusts, the lists the
browser verifier needs, shipments against a partner's certificate, notices from partners."""

from __future__ import annotations

import base64
import binascii
import time

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from certs import pki
from certs.federation import METADATA_PATH, Partner, build_metadata, sign_partner_list
from certs.verify import read

from .. import db
from ..customs.api import idempotency_key_sent
from ..db.columns import rfc3339
from ..errors import PayloadTooLarge, UnsupportedMediaType
from ..keys import service as keys
from ..keys.authority import authority, key_store
from ..permissions import Permission
from ..revocations import service as revocations
from ..web.auth import current_account, public, requires
from ..web.cors import cross_origin
from ..web.extensions import PUBLIC_LISTS, limiter
from ..web.json_api import created, json_body, page, page_args
from . import notices, service
from .schemas import AbroadShipmentRequest, AuthorityRequest, ReasonRequest

bp = Blueprint("federation_api", __name__)


@bp.get(METADATA_PATH)
@limiter.limit(PUBLIC_LISTS)
@public
@cross_origin
def metadata():
    home = authority()
    root = pki.certificate_der(key_store().root_certificate())
    response = jsonify(build_metadata(code=home.code, name=home.name, country=home.country,
                                      root_der=root, base_url=request.url_root))
    response.headers["Cache-Control"] = "public, max-age=300"
    response.add_etag()
    return response.make_conditional(request)


def authority_json(row) -> dict:
    return {"code": row.code, "name": row.name, "base_url": row.base_url,
            "fingerprint": row.fingerprint, "status": row.status,
            "added_at": rfc3339(row.added_at),
            "refreshed_at": rfc3339(row.refreshed_at) if row.refreshed_at else None,
            "stale_since": rfc3339(row.stale_since) if row.stale_since else None,
            "last_error": row.last_error}


def proposed(body: AuthorityRequest):
    if body.root is None:
        return service.fetch_candidate(body.base_url)
    text = body.root.strip()
    try:
        root = text.encode() if "BEGIN" in text else base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        root = b""
    return service.candidate(code=body.code or "", name=body.name or "",
                             base_url=body.base_url, root=root)


@bp.get("/api/v1/federation/partners")
@limiter.limit(PUBLIC_LISTS)
@public
@cross_origin
def partners():
    """The authorities we trust, signed by our document signer (application/cose): what an
    offline verifier that pinned our root syncs its partners from."""
    session = db.session()
    signer = keys.active_signer(session, key_store())
    listed = [Partner(r.code, r.name, r.base_url, r.root_der)
              for r in service.listed(session) if r.status == "active"]
    # To the minute, so that the (deterministic) signature and the ETag hold for a minute.
    body = sign_partner_list(authority=authority().code, issued_at=int(time.time()) // 60 * 60,
                             partners=listed, kid=signer.kid, key=signer.private_key)
    response = Response(body, mimetype="application/cose")
    response.headers["Cache-Control"] = "public, max-age=60"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/api/v1/federation/authorities")
@requires(Permission.FEDERATION_MANAGE)
def authorities():
    return jsonify({"items": [authority_json(a) for a in service.listed(db.session())],
                    "next_cursor": None})


@bp.post("/api/v1/federation/authorities")
@requires(Permission.FEDERATION_MANAGE)
def add_authority():
    """Without `fingerprint`, a preview: the root's fingerprint to compare, nothing added."""
    body = json_body(AuthorityRequest)
    candidate = proposed(body)
    if body.fingerprint is None:
        return jsonify({"code": candidate.code, "name": candidate.name,
                        "base_url": candidate.base_url, "fingerprint": candidate.fingerprint,
                        "added": False})
    session = db.session()
    row = service.add(session, actor=current_account(), proposed=candidate,
                      confirmed_fingerprint=body.fingerprint, home_code=authority().code)
    session.commit()
    current_app.extensions["foreign_trust"].invalidate()
    return created(authority_json(row), f"/api/v1/federation/authorities/{row.code}")


@bp.post("/api/v1/federation/authorities/<code>/<any(suspend, reinstate, remove):action>")
@requires(Permission.FEDERATION_MANAGE)
def change_authority(code: str, action: str):
    body = json_body(ReasonRequest)
    session = db.session()
    row = service.change(session, actor=current_account(), code=code, action=action,
                         reason=body.reason)
    session.commit()
    current_app.extensions["foreign_trust"].invalidate()
    return jsonify(authority_json(row))


@bp.get("/api/v1/federation/trust")
@requires(Permission.VERIFY)
def trust_bundle():
    """Every root this registry trusts, ours first, with the lists last fetched: what the
    in-browser verifier loads (docs/spec/federation.md section 5)."""
    return jsonify(bundle(db.session()))


def bundle(session) -> dict:
    home, store = authority(), key_store()
    trust_body, _etag = keys.trust_list(session, store, home)
    items = [{"code": home.code, "name": home.name, "home": True,
              "root": _b64(pki.certificate_der(store.root_certificate())),
              "trust_list": trust_body.decode(), "revocations": _home_lists(session),
              "stale_since": None}]
    for row in service.listed(session):
        if row.status != "active":
            continue
        items.append({"code": row.code, "name": row.name, "home": False,
                      "root": _b64(row.root_der),
                      "trust_list": row.trust_list.decode() if row.trust_list else None,
                      "revocations": [_b64(row.revocations_full)] * bool(row.revocations_full)
                      + list(row.revocations_deltas or []),
                      "stale_since": rfc3339(row.stale_since) if row.stale_since else None})
    return {"authorities": items}


def _home_lists(session) -> list[str]:
    """Our newest full revocation list and the delta on top of it, as the API serves them."""
    try:
        full = revocations.latest_full(session)
    except revocations.NotPublished:
        return []
    lists = [_b64(full.body)]
    if revocations.sequence(session) > full.sequence:
        signer = keys.active_signer(session, key_store())
        delta = revocations.signed_delta(session, signer, authority=authority().code,
                                         since=full.sequence)
        lists.append(_b64(delta.body))
    return lists


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@bp.post("/api/v1/federation/shipments")
@requires(Permission.SHIPMENT_RECORD)
def ship_abroad():
    body = json_body(AbroadShipmentRequest)
    row = shipped_abroad(body.payload, body.border_post, body.lines, idempotency_key_sent())
    return created({"notice_id": row.notice_id, "certificate": row.certificate_number,
                    "issuer": read(body.payload).claims.iss, "border_post": row.border_post,
                    "lines": row.lines, "recorded_at": rfc3339(row.recorded_at),
                    "sent": row.acknowledged_at is not None},
                   f"/api/v1/federation/shipments/{row.notice_id}")


def shipped_abroad(payload: str, border_post: str, lines, key: str | None):
    """notices.ship_abroad with this registry's authority, keys and trust: what the API and
    the customs lane call for a shipment against a partner's certificate."""
    return notices.ship_abroad(db.session(), db.reader(), actor=current_account(),
                               payload=payload, border_post=border_post, lines=lines,
                               idempotency_key=key, home=authority(), store=key_store(),
                               ours=current_app.extensions["server_trust"],
                               partners=current_app.extensions["foreign_trust"])


@bp.get("/api/v1/federation/markings/<path:marking>")
@requires(Permission.TRACE)
def reported_markings(marking: str):
    """Tracing across borders: the crossings of a marking that partners reported."""
    limit, after = page_args()
    rows = notices.reported_markings(db.session(), marking, limit=limit + 1, after=after)
    return page(rows, limit, lambda row: {**{k: v for k, v in row.items() if k != "id"},
                                          "crossed_at": rfc3339(row["crossed_at"])},
                key=lambda row: row["id"])


@bp.post("/api/v1/federation/notices")
@limiter.limit(PUBLIC_LISTS)
@public
def receive_notice():
    """A partner's signed shipment notice: authenticated by its signature alone."""
    if request.mimetype != "application/cose":
        raise UnsupportedMediaType(_l("Send the notice as application/cose."))
    if (request.content_length or 0) > 64 * 1024:
        raise PayloadTooLarge(_l("A notice is at most 64 KiB."))
    session = db.session()
    row, new = notices.receive(session, request.get_data(), home_code=authority().code)
    session.commit()
    answer = jsonify({"notice_id": row.notice_id,
                      "status": "recorded" if new else "already_recorded",
                      "over_draw": row.over_draw})
    answer.status_code = 201 if new else 200
    return answer
