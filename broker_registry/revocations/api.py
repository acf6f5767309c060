from __future__ import annotations

import cbor2
import orjson
from flask import Blueprint, Response, current_app, request
from flask_babel import lazy_gettext as _l

from certs.cose import decode_sign1
from certs.revocation_list import as_json

from .. import db
from ..db.held import Held
from ..errors import invalid
from ..keys.authority import authority, key_store
from ..keys.service import active_signer
from ..validation import whole_number
from ..web.auth import public
from ..web.cors import cross_origin
from ..web.extensions import PUBLIC_LISTS, limiter
from . import service

bp = Blueprint("revocations_api", __name__, url_prefix="/api/v1")


def _since() -> int | None:
    raw = request.args.get("since")
    if raw is None:
        return None
    since = whole_number(raw)
    if since is None:
        raise invalid("since", _l("must be a sequence number (a whole number >= 0)"))
    return since


HEADS_TTL = 1.0  # seconds


def _heads() -> Held[tuple[int, service.Published | None]]:
    """The list's sequence and newest full list as this worker last read them.

    An unchanged list is answered 304 from here, without a database session, for up to
    HEADS_TTL after the last read: clients hold a list for a minute anyway (max-age=60),
    and a change recorded in this process is seen at once. Anything but a 304 reads afresh.
    """
    return _per_app("revocation_heads", lambda: Held(ttl=HEADS_TTL, generation=service.CHANGED))


def _held_json() -> Held[bytes]:
    """The newest full list as JSON, rendered once per worker and edition: a million entries
    take seconds to render, so requests for it queue on one rendering, never start their own."""
    return _per_app("revocation_json", Held)


def _per_app(name: str, make):
    held = current_app.extensions.get(name)
    return held if held is not None else current_app.extensions.setdefault(name, make())


def _answers_full(since: int | None, published: service.Published | None) -> bool:
    """A verifier behind the newest full list, or holding none (since 0), gets that list: a
    delta starts at the full list's sequence or later, and base 0 is a full list's."""
    return since is None or since == 0 or (published is not None
                                             and since < published.sequence)


def _etag(kind: str, since: int | None, upto: int, published: service.Published | None) -> str:
    # The ETag names what the answer holds, so a 304 needs no build.
    if _answers_full(since, published):
        return f"{kind}-full-{published.name if published is not None else upto}"
    return f"{kind}-{since}-{upto}"


@bp.get("/revocations")
@limiter.limit(PUBLIC_LISTS)
@public
@cross_origin
def revocations():
    since, want_json = _since(), request.args.get("format") == "json"
    if request.args.get("format") not in (None, "json", "cose"):
        raise invalid("format", _l("must be json or cose"))
    kind = "j" if want_json else "c"
    heads = _heads()
    held = heads.get()
    if held is not None and request.if_none_match.contains_weak(_etag(kind, since, *held)):
        return _headers(Response(status=304), _etag(kind, since, *held))
    session = db.session()
    stamp = heads.stamp()
    upto, published = service.sequence(session), service.newest_published(session)
    heads.put(None, (upto, published), stamp)
    if since is not None and since > upto:
        raise invalid("since", _l("is ahead of the list's sequence %(n)s", n=upto))
    etag = _etag(kind, since, upto, published)
    if request.if_none_match.contains_weak(etag):
        return _headers(Response(status=304), etag)
    if _answers_full(since, published):
        signed = service.latest_full(session)
        etag = f"{kind}-full-{signed.published}"
    else:
        signer = active_signer(session, key_store())
        signed = service.signed_delta(session, signer, authority=authority().code, since=since)
    if want_json:
        if signed.published is None:  # a delta: small, and built for this request anyway
            return _headers(_json_response(_as_json_bytes(signed.body)), etag)
        body = _held_json().fetch(signed.published, lambda: _as_json_bytes(signed.body),
                                  alone=True)
        return _headers(_json_response(body), etag)
    return _headers(Response(signed.body, mimetype="application/cose"), etag)


def _as_json_bytes(body: bytes) -> bytes:
    return orjson.dumps(as_json(cbor2.loads(decode_sign1(body).payload)))


def _json_response(body: bytes) -> Response:
    return Response(body, mimetype="application/json")


def _headers(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
