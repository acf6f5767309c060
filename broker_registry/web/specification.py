"""The project's published specification and its test vectors, served as they are in the
repository (docs/spec/): public, cacheable, readable from any origin.

    GET /api/v1/spec/euc-qr.md, /api/v1/spec/api.md   the specification (text/markdown)
    GET /api/v1/spec/federation.md                      between registries (the same)
    GET /api/v1/spec/vectors                           the vectors' index (JSON)
    GET /api/v1/spec/vectors/<file>                    a file the index names
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, send_file
from flask_babel import lazy_gettext as _l
from werkzeug.security import safe_join

from ..errors import NotFound
from .auth import public
from .cors import cross_origin

SPEC = Path(__file__).resolve().parents[2] / "docs" / "spec"  # in the repository, beside the code
VECTORS = SPEC / "vectors"
# Flask adds "; charset=utf-8" to the text type.
MEDIA = {".md": "text/markdown", ".json": "application/json", ".der": "application/pkix-cert",
         ".cose": "application/cose"}

bp = Blueprint("spec", __name__, url_prefix="/api/v1/spec")


def _send(path: Path):
    response = send_file(path, mimetype=MEDIA[path.suffix], conditional=True, etag=True,
                         max_age=300)
    response.cache_control.public = True
    return response


@bp.get("/<any('euc-qr.md', 'api.md', 'federation.md'):name>")
@public
@cross_origin
def document(name: str):
    return _send(SPEC / name)


@bp.get("/vectors")
@public
@cross_origin
def vectors():
    return _send(VECTORS / "index.json")


@bp.get("/vectors/<path:name>")
@public
@cross_origin
def vector_file(name: str):
    found = safe_join(str(VECTORS), name)
    path = Path(found) if found else None
    if path is None or path.suffix not in MEDIA or not path.is_file():
        raise NotFound(_l("No file %(name)s among the test vectors.", name=name[:100]))
    return _send(path)
