"""Pages post plain HTML forms; these helpers feed them through the same schemas as the API."""

from __future__ import annotations

from flask import request

from ..errors import ValidationFailed
from ..validation import parse
from .auth import current_account


def form_text(name: str) -> str | None:
    value = request.form.get(name, "")
    return value if value.strip() else None


def sanction_act(schema, sanction, **arguments):
    """The act of a suspend, reinstate or revoke form on a case page: the reason (sent to the
    broker) and the internal note (kept for staff) read through the domain's `schema`, then
    `sanction(session, actor=..., reason=..., note=..., **arguments)`."""
    def act(session):
        body = parse(schema, {"reason": request.form.get("reason", ""),
                              "internal_note": form_text("internal_note")})
        sanction(session, actor=current_account(), reason=body.reason, note=body.internal_note,
                 **arguments)

    return act


def editing_rows(form, kind: str) -> bool:
    """The form was sent by its "Add another" or "Remove" button (a browser without scripts):
    answer with the form again, one row more or less, nothing validated or saved."""
    return form.get("action") == f"add_{kind}" or f"remove_{kind}" in form


def edited_rows(rows: list[dict], form, fields, kind: str) -> list[dict]:
    """The rows as sent, less the one removed, plus a blank one if asked (or if none)."""
    removed = form.get(f"remove_{kind}", "")
    if removed.isascii() and removed.isdigit() and int(removed) < len(rows):
        rows = rows[:int(removed)] + rows[int(removed) + 1:]
    if form.get("action") == f"add_{kind}" or not rows:
        rows = [*rows, dict.fromkeys(fields, "")]
    return rows


def errors_by_field(error: ValidationFailed, control=None) -> dict[str, str]:
    """Each bad field's first problem in plain words, keyed by the form control it names
    (`control` turns the API's field name into that control's id), in the order found, which
    is the form's order: the schemas list their fields as the forms show them."""
    from ..i18n.form_messages import plain_message

    found: dict[str, str] = {}
    for item in error.errors:
        field = control(item.field) if control else item.field
        found.setdefault(field, plain_message(field, item))
    if not error.errors:
        found["body"] = error.detail
    return found


def act_on_case(act, *, rerender, done_url: str, done: str | None = None):
    """Run a page action in one transaction: on success flash `done` (else "Recorded.") and
    redirect to the case; on a refusal roll back and show the case again with the reason next
    to the action."""
    from flask import flash, redirect
    from flask_babel import gettext

    from .. import db
    from ..errors import Conflict

    session = db.session()
    try:
        act(session)
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        return rerender(errors=errors_by_field(error), status=422)
    except Conflict as error:
        session.rollback()
        return rerender(errors={"action": error.detail}, status=409)
    flash(done or gettext("Recorded."))
    return redirect(done_url)
