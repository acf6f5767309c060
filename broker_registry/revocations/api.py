from __future__ import annotations

import cbor2
from flask import Blueprint, Response, jsonify, request

from certs.cose import decode_sign1
from certs.revocation_list import as_json

from .. import db
from ..authority import authority, key_store
from ..errors import invalid
from ..keys.service import active_signer
from ..permissions import public
from . import service

bp = Blueprint("revocations_api", __name__, url_prefix="/api/v1")


def _since() -> int | None:
    raw = request.args.get("since")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise invalid("since", "must be a sequence number (a whole number >= 0)")
    return int(raw)


@bp.get("/revocations")
@public
def revocations():
    since, want_json = _since(), request.args.get("format") == "json"
    if request.args.get("format") not in (None, "json", "cose"):
        raise invalid("format", "must be json or cose")
    session = db.session()
    upto = service.sequence(session)
    if since is not None and since > upto:
        raise invalid("since", f"is ahead of the list's sequence {upto}")
    # The ETag names what the answer holds, so a 304 costs one indexed read, not a build.
    kind = "j" if want_json else "c"
    if since is None:
        published = service.newest_snapshot_sequence(session)
        etag = f"{kind}-full-{published if published is not None else upto}"
    else:
        etag = f"{kind}-{since}-{upto}"
    if request.if_none_match.contains_weak(etag):
        return _headers(Response(status=304), etag)
    signer = active_signer(session, key_store())
    if since is None:
        signed = service.latest_full(session, signer, authority=authority().code)
        session.commit()
        etag = f"{kind}-full-{signed.sequence}"
    else:
        signed = service.signed_delta(session, signer, authority=authority().code, since=since)
    if want_json:
        payload = cbor2.loads(decode_sign1(signed.body).payload)
        return _headers(jsonify(as_json(payload)), etag)
    return _headers(Response(signed.body, mimetype="application/cose"), etag)


def _headers(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
