"""The admin's pages for the screening lists: arms embargoes and denied parties, and one
entry of the national list to correct or remove with a reason the audit log keeps."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from .. import db
from ..errors import Conflict, ValidationFailed, invalid
from ..i18n.formats import language
from ..permissions import Permission
from ..reference.countries import all_countries
from ..reference.embargoes import Scope
from ..validation import Line, parse, parse_value
from ..web.auth import current_account, requires
from ..web.forms import errors_by_field, form_text
from ..web.json_api import encode_cursor, page_args
from . import explain, national_list, service
from .models import DeniedSource
from .schemas import EmbargoInput, NationalEntryEdit, RemovalReason
from .unlist import MAX_BYTES

bp = Blueprint("screening", __name__)
bp.add_app_template_global(explain.sentences, "match_explanation")

EMBARGO_FIELDS = ("country", "scope", "resolution", "since", "notes")


def _embargo_page(errors: dict, form, status: int = 200):
    return render_template("screening/embargoes.html", errors=errors, form=form,
                           embargoes=service.embargoes(db.session()), scopes=list(Scope),
                           countries=all_countries(language())), status


@bp.route("/admin/embargoes", methods=["GET", "POST"])
@requires(Permission.SCREENING_MANAGE)
def embargoes():
    if request.method == "GET":
        return _embargo_page({}, {})
    session = db.session()
    try:
        fields = {k: request.form.get(k, "") for k in EMBARGO_FIELDS}
        body = parse(EmbargoInput, {**fields, "notes": fields["notes"].strip() or None})
        entry = service.set_embargo(session, actor=current_account(), embargo=body)
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        return _embargo_page(errors_by_field(error), request.form, 422)
    flash(gettext("Embargo on %(country)s saved.", country=entry.country))
    return redirect(url_for("screening.embargoes"))


@bp.post("/admin/embargoes/<country>/remove")
@requires(Permission.SCREENING_MANAGE)
def remove_embargo(country: str):
    session = db.session()
    try:
        reason = parse_value(Line(1000), request.form.get("reason", ""), "reason")
        if reason is None:
            raise ValidationFailed([], gettext("Give a reason for removing the embargo."))
        service.remove_embargo(session, actor=current_account(), country=country[:2],
                               reason=reason)
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        return _embargo_page(errors_by_field(error), {}, 422)
    flash(gettext("Embargo on %(country)s removed.", country=country[:2]))
    return redirect(url_for("screening.embargoes"))


def _parties_page(errors: dict, status: int = 200):
    limit, after = page_args()
    source = request.args.get("source")
    source = source if source in (DeniedSource.UN, DeniedSource.AUTHORITY) else None
    rows = service.denied_parties(db.session(), source=source, limit=limit, after=after)
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return render_template("screening/denied_parties.html", parties=rows[:limit],
                           source=source or "", next_cursor=next_cursor, errors=errors), status


@bp.get("/admin/denied-parties")
@requires(Permission.SCREENING_MANAGE)
def denied_parties():
    return _parties_page({})


@bp.post("/admin/denied-parties")
@requires(Permission.SCREENING_MANAGE)
def import_un_list():
    upload = request.files.get("file")
    session = db.session()
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed([], gettext("Choose a UN Consolidated List XML file to "
                                                 "upload."))
        count = service.import_un_list(session, actor=current_account(),
                                       data=upload.stream.read(MAX_BYTES + 1),
                                       filename=upload.filename)
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        return _parties_page({"file": errors_by_field(error).popitem()[1]}, 422)
    flash(gettext("Imported %(count)s listed parties from the UN list; the previous UN "
                  "entries are replaced.", count=count))
    return redirect(url_for("screening.denied_parties"))


def _entry_page(entry_id: int, errors: dict | None = None, status: int = 200):
    entry = national_list.get_entry(db.session(), entry_id)
    form = request.form if request.method == "POST" else {
        "name": entry.name, "aliases": "\n".join(entry.aliases),
        "countries": (entry.countries or [""])[0], "grounds": entry.grounds}
    return render_template("screening/denied_party.html", entry=entry, form=form,
                           errors=errors or {}, countries=all_countries(language())), status


@bp.get("/admin/denied-parties/<int:entry_id>")
@requires(Permission.SCREENING_MANAGE)
def entry(entry_id: int):
    return _entry_page(entry_id)


def _edit_from_form() -> NationalEntryEdit:
    aliases = [line.strip() for line in request.form.get("aliases", "").splitlines()]
    country = request.form.get("countries", "")
    return parse(NationalEntryEdit, {
        "name": request.form.get("name", ""), "aliases": [a for a in aliases if a],
        "countries": [country] if country else [], "grounds": request.form.get("grounds", ""),
        "reason": request.form.get("reason", "")})


def _change(entry_id: int, change, done: str):
    session = db.session()
    try:
        change(session)
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        errors = {}
        for field, message in errors_by_field(error).items():  # "countries.0": the one select
            errors.setdefault(field.split(".")[0], message)
        return _entry_page(entry_id, errors, 422)
    except Conflict as error:
        session.rollback()
        return _entry_page(entry_id, {"action": error.detail}, 409)
    flash(done)
    return redirect(url_for("screening.denied_parties", source="authority"))


@bp.post("/admin/denied-parties/<int:entry_id>")
@requires(Permission.SCREENING_MANAGE)
def edit_entry(entry_id: int):
    def change(session):
        national_list.edit_entry(session, actor=current_account(), entry_id=entry_id,
                                 edit=_edit_from_form())

    return _change(entry_id, change, gettext("The entry is corrected."))


@bp.post("/admin/denied-parties/<int:entry_id>/remove")
@requires(Permission.SCREENING_MANAGE)
def remove_entry(entry_id: int):
    def change(session):
        try:
            body = parse(RemovalReason, {"reason": form_text("remove_reason") or ""})
        except ValidationFailed as error:  # the removal's own box, not the correction's
            raise invalid("remove_reason", errors_by_field(error)["reason"]) from None
        national_list.remove_entry(session, actor=current_account(), entry_id=entry_id,
                                   reason=body.reason)

    return _change(entry_id, change, gettext("The entry is removed from the national list."))
