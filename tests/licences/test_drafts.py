"""A draft holds the longest application the schema allows and no more; a broker keeps at most
MAX_DRAFTS of them. Beyond either, the form says so by its draft button, and nothing is kept.

A crafted form of 900 values of 4,000 characters had been kept as one 3.4 MB draft."""

from __future__ import annotations

import json

from sqlmodel import select

from broker_registry.licences.models import Licence
from broker_registry.licences.schemas import LicenceApplication
from broker_registry.licences.service import MAX_DRAFT_CHARACTERS, MAX_DRAFTS
from tests.licences.test_pages import form_for, post_form, sign_in

SCHEMA = LicenceApplication.model_json_schema()


def _longest_form(broker_id: int) -> dict:
    """Every field of the page form at the length the schema allows, in Chinese script (the
    most characters for the eye, and three bytes each)."""
    defs = SCHEMA["$defs"]

    def text(length: int) -> str:
        return ("供军事警察部队使用的随身武器" * length)[:length]

    form = form_for(broker_id)
    for role in ("supplier", "consignee", "end_user"):
        form[f"{role}_name"] = text(defs["Party"]["properties"]["name"]["maxLength"])
        form[f"{role}_address"] = text(defs["Party"]["properties"]["address"]["maxLength"])
    for field in ("end_use", "transport", "financing"):
        form[field] = text(SCHEMA["properties"][field]["maxLength"])
    lines = SCHEMA["properties"]["goods"]["maxItems"]
    line = defs["GoodsLine"]["properties"]
    form.update(goods_description=[text(line["description"]["maxLength"])] * lines,
                goods_category=["SALW-1"] * lines, goods_quantity=["10000000"] * lines,
                goods_unit=["piece"] * lines, goods_unit_value=["1234567890123.45"] * lines,
                goods_currency=["EUR"] * lines,
                transit_countries=["FR", "DE", "ES", "PT", "NL", "BE", "AT", "CH", "PL", "CZ",
                                   "SK", "HU", "SI", "HR", "IE", "DK", "SE", "NO", "FI", "EE"])
    return form


def _drafts(db, owner) -> list[Licence]:
    db.expire_all()
    return list(db.exec(select(Licence).where(Licence.owner_id == owner.id,
                                              Licence.status == "draft")))


def test_the_longest_application_is_kept_as_a_draft_whole(app, db, register_broker):
    owner, broker = register_broker()
    pages = sign_in(app, owner)
    form = _longest_form(broker.id)
    saved = post_form(pages, "/licences/apply", {**form, "action": "draft"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[-2000:]
    [draft] = _drafts(db, owner)
    assert draft.draft_form["end_use"] == [form["end_use"]]
    assert draft.draft_form["goods_description"] == form["goods_description"]
    size = len(json.dumps(draft.draft_form, ensure_ascii=False))
    assert 40_000 < size < MAX_DRAFT_CHARACTERS


def test_a_draft_too_long_to_keep_is_refused_by_its_button(app, db, register_broker):
    owner, broker = register_broker()
    pages = sign_in(app, owner)
    crafted = {**form_for(broker.id), "action": "draft"}
    crafted.update({f"extra_{n}": ["x" * 4000] * 9 for n in range(100)})  # 900 values
    refused = post_form(pages, "/licences/apply", crafted)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert '<p class="error" id="draft">is too long to keep' in page
    assert f"at most {MAX_DRAFT_CHARACTERS:,}" in page
    assert 'href="#draft">Draft: is too long' in page
    assert _drafts(db, owner) == []
    # Nor can a draft kept short be grown past it.
    kept = post_form(pages, "/licences/apply", {**form_for(broker.id), "action": "draft"})
    edit = kept.headers["Location"]
    assert post_form(pages, edit, crafted).status_code == 422
    [draft] = _drafts(db, owner)
    assert "extra_0" not in draft.draft_form


def test_a_broker_keeps_at_most_so_many_drafts(app, db, register_broker):
    owner, broker = register_broker()
    pages = sign_in(app, owner)
    half_filled = {"broker_id": str(broker.id), "supplier_name": "Fabbrica", "action": "draft"}
    places = [post_form(pages, "/licences/apply", half_filled).headers["Location"]
              for _ in range(MAX_DRAFTS)]
    refused = post_form(pages, "/licences/apply", half_filled)
    assert refused.status_code == 422
    assert f"you have {MAX_DRAFTS} drafts, the most there can be" in \
        refused.get_data(as_text=True)
    assert len(_drafts(db, owner)) == MAX_DRAFTS
    # A draft kept can still be saved again, and an application submitted at once.
    assert post_form(pages, places[0], {**half_filled, "supplier_name": "Other"}) \
        .status_code == 302
    submitted = post_form(pages, "/licences/apply", {**form_for(broker.id), "action": "submit"})
    assert submitted.status_code == 302
    # Another broker is not held back by this one's drafts.
    other_owner, other = register_broker()
    other_pages = sign_in(app, other_owner)
    assert post_form(other_pages, "/licences/apply",
                     {**half_filled, "broker_id": str(other.id)}).status_code == 302
