"""The admin's pages for foreign authorities: the list with each one's freshness, adding one
by URL (or by hand with its root) after comparing the root's fingerprint, and suspending,
reinstating or removing one."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext

from .. import db
from ..errors import Conflict, DomainError, NotFound, ValidationFailed
from ..keys.authority import authority
from ..permissions import Permission
from ..validation import parse
from ..web.auth import current_account, requires
from ..web.forms import errors_by_field
from . import service
from .api import bundle, proposed
from .schemas import AuthorityRequest

bp = Blueprint("federation", __name__)
FIELDS = ("base_url", "code", "name", "root")


def _list_page(errors: dict, form, status: int = 200):
    return render_template("federation/authorities.html", errors=errors, form=form,
                           authorities=service.listed(db.session()),
                           home=authority()), status


@bp.get("/admin/authorities")
@requires(Permission.FEDERATION_MANAGE)
def authorities():
    return _list_page({}, {})


def _request(form) -> AuthorityRequest:
    values = {k: form.get(k, "").strip() or None for k in FIELDS}
    typed = form.get("fingerprint", "").strip()
    return parse(AuthorityRequest, {**values, "base_url": values["base_url"] or "",
                                    "fingerprint": typed or None})


@bp.post("/admin/authorities/preview")
@requires(Permission.FEDERATION_MANAGE)
def preview():
    """Step one: what the partner's address (or the pasted root) gives, and its fingerprint
    for the admin to compare with the one received out of band. Nothing is added."""
    try:
        candidate = proposed(_request(request.form))
    except ValidationFailed as error:
        return _list_page(errors_by_field(error), request.form, 422)
    return render_template("federation/confirm.html", candidate=candidate, errors={},
                           form=request.form)


@bp.post("/admin/authorities")
@requires(Permission.FEDERATION_MANAGE)
def add():
    session = db.session()
    try:
        body = _request(request.form)
        candidate = proposed(body)
    except ValidationFailed as error:
        return _list_page(errors_by_field(error), request.form, 422)
    try:
        row = service.add(session, actor=current_account(), proposed=candidate,
                          confirmed_fingerprint=body.fingerprint or "",
                          home_code=authority().code)
        session.commit()
    except (ValidationFailed, Conflict) as error:
        session.rollback()
        errors = errors_by_field(error) if isinstance(error, ValidationFailed) \
            else {"fingerprint": error.detail}
        return render_template("federation/confirm.html", candidate=candidate, errors=errors,
                               form=request.form), 422
    current_app.extensions["foreign_trust"].invalidate()
    flash(gettext("%(name)s (%(code)s) is trusted from now on; its lists are fetched by the "
                  "worker.", name=row.name, code=row.code))
    return redirect(url_for("federation.authorities"))


@bp.post("/admin/authorities/<code>/<any(suspend, reinstate, remove):action>")
@requires(Permission.FEDERATION_MANAGE)
def change(code: str, action: str):
    session = db.session()
    try:
        row = service.change(session, actor=current_account(), code=code, action=action,
                             reason=request.form.get("reason", "")[:1000])
        session.commit()
    except NotFound:
        raise
    except DomainError as error:
        session.rollback()
        errors = errors_by_field(error) if isinstance(error, ValidationFailed) \
            else {"reason": error.detail}
        return _list_page(errors, {}, 422)
    current_app.extensions["foreign_trust"].invalidate()
    flash(gettext("%(code)s: %(status)s.", code=row.code, status=_said(row.status)))
    return redirect(url_for("federation.authorities"))


def _said(status: str) -> str:
    return {"active": gettext("trusted again"), "suspended": gettext("suspended"),
            "removed": gettext("removed")}[status]


@bp.get("/customs/trust.json")
@requires(Permission.VERIFY)
def trust_bundle():
    """GET /api/v1/federation/trust for the customs pages, signed in by their cookie: every
    root and list the in-browser verifier holds (docs/spec/federation.md section 5). The lane
    fetches it in the background, every minute: its answer leaves the cookie alone."""
    response = jsonify(bundle(db.session()))
    response.headers["Cache-Control"] = "private, no-cache"
    return response
