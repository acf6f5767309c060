"""The main path through the pages: draft, submit, approve, countersign, revoke; and errors."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD, csrf_token
from tests.records import CLEAN, valid_until


def sign_in(app, account):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": account.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    return client


def form_for(broker_id: int, **overrides) -> dict:
    data = {"broker_id": str(broker_id), "end_user_kind": "armed_forces",
            "transit_countries": ["FR"], "end_use": CLEAN["end_use"],
            "transport": CLEAN["transport"], "financing": CLEAN["financing"],
            "valid_until": valid_until(),
            "goods_description": ["Pistols", "Cartridges", ""],
            "goods_category": ["SALW-1", "AMMO", ""], "goods_quantity": ["200", "5000", ""],
            "goods_unit": ["piece", "round", ""], "goods_unit_value": ["450.00", "", ""],
            "goods_currency": ["EUR", "", ""]}
    for role in ("supplier", "consignee", "end_user"):
        for field in ("name", "address", "country"):
            data[f"{role}_{field}"] = CLEAN[role][field]
    data.update(overrides)
    return data


def post_form(client, url: str, data: dict, page: str | None = None):
    html = client.get(page or url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_token(html)})


def test_main_path_through_the_pages(app, register_broker, regulator, make_account):
    owner, broker = register_broker()
    other_regulator = make_account("regulator", name="Wang Li")
    broker_pages = sign_in(app, owner)
    # a draft, saved half-filled, then completed
    draft = post_form(broker_pages, "/licences/apply",
                      {"broker_id": str(broker.id), "supplier_name": "Fabbrica", "action": "draft"})
    assert draft.status_code == 302
    assert re.fullmatch(r"/licences/\d+/edit", draft.headers["Location"])  # on with editing
    licence_id = int(re.search(r"/licences/(\d+)", draft.headers["Location"]).group(1))
    edit_page = broker_pages.get(f"/licences/{licence_id}/edit").get_data(as_text=True)
    assert 'value="Fabbrica"' in edit_page
    assert sign_in(app, regulator).get(f"/licences/{licence_id}").status_code == 404
    submitted = post_form(broker_pages, f"/licences/{licence_id}/edit",
                          {**form_for(broker.id), "action": "submit"})
    assert submitted.status_code == 302
    detail = broker_pages.get(f"/licences/{licence_id}").get_data(as_text=True)
    assert "submitted" in detail and "No findings" in detail and "450.00 EUR" in detail
    # the regulators' queue, approval, countersignature
    first = sign_in(app, regulator)
    queue = first.get("/regulator/licences").get_data(as_text=True)
    assert f"LA-{licence_id:06d}" in queue
    url = f"/licences/{licence_id}/decision"
    assert post_form(first, url, {"decision": "approve", "reason": "Fine."},
                     f"/licences/{licence_id}").status_code == 302
    own = post_form(first, url, {"decision": "approve", "reason": "Again."},
                    f"/licences/{licence_id}")
    assert own.status_code == 409 and "different regulator" in own.get_data(as_text=True)
    second = sign_in(app, other_regulator)
    assert post_form(second, url, {"decision": "approve", "reason": "Countersigned."},
                     f"/licences/{licence_id}").status_code == 302
    page = second.get(f"/licences/{licence_id}").get_data(as_text=True)
    number = re.search(r"BL-XX-\d{4}-\d{6}", page).group(0)
    assert "issued" in page and broker.registration_number in page
    # revoke; the broker sees the licence and is told
    asked = post_form(second, f"/licences/{licence_id}/revoke", {"reason": "Diverted."},
                      f"/licences/{licence_id}")
    assert asked.status_code == 200 and "Yes, revoke" in asked.get_data(as_text=True)
    revoked = post_form(second, f"/licences/{licence_id}/revoke",
                        {"reason": "Diverted.", "confirmed": "yes"},
                        f"/licences/{licence_id}")
    assert revoked.status_code == 302
    assert "revoked" in broker_pages.get(f"/licences/{licence_id}").get_data(as_text=True)
    mine = broker_pages.get("/licences/mine").get_data(as_text=True)
    assert number in mine
    notes = broker_pages.get("/notifications").get_data(as_text=True)
    assert f"Licence {number}: revoked" in notes and "Reason: Diverted." in notes


def test_form_errors_name_the_fields_and_change_nothing(app, register_broker):
    owner, broker = register_broker()
    pages = sign_in(app, owner)
    bad = form_for(broker.id, goods_quantity=["0", "5000", ""], goods_category=["SALW-1",
                                                                                "TANK", ""],
                   end_user_country="ZZ", action="submit")
    response = post_form(pages, "/licences/apply", bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="goods_quantity_0-error"' in html and 'id="goods_category_1-error"' in html
    assert 'id="end_user_country-error"' in html
    assert "You have not applied" in pages.get("/licences/mine").get_data(as_text=True)


def test_suspended_broker_gets_a_form_error(app, register_broker):
    owner, broker = register_broker(status="suspended")
    response = post_form(sign_in(app, owner), "/licences/apply",
                         {**form_for(broker.id), "action": "submit"})
    assert response.status_code == 409 and "is suspended" in response.get_data(as_text=True)


def test_information_request_and_answer_in_the_pages(app, register_broker, regulator):
    owner, broker = register_broker()
    pages = sign_in(app, owner)
    response = post_form(pages, "/licences/apply", {**form_for(broker.id), "action": "submit"})
    licence_id = int(response.headers["Location"].rsplit("/", 1)[1])
    first = sign_in(app, regulator)
    post_form(first, f"/licences/{licence_id}/decision",
              {"decision": "request_information", "reason": "Which units?"},
              f"/licences/{licence_id}")
    page = pages.get(f"/licences/{licence_id}").get_data(as_text=True)
    assert "Which units?" in page and 'name="response"' in page
    answered = post_form(pages, f"/licences/{licence_id}/response",
                         {"response": "The 3rd Battalion."}, f"/licences/{licence_id}")
    assert answered.status_code == 302
    assert f"LA-{licence_id:06d}" in first.get("/regulator/licences").get_data(as_text=True)


def test_pages_need_csrf(app, register_broker):
    owner, broker = register_broker()
    response = sign_in(app, owner).post("/licences/apply", data=form_for(broker.id))
    assert response.status_code == 400


def test_a_refused_decision_keeps_what_was_typed_beside_its_error(app, register_broker,
                                                                  regulator, make_account):
    owner, broker = register_broker()
    pages = sign_in(app, owner)
    submitted = post_form(pages, "/licences/apply", form_for(broker.id, action="submit"))
    case = submitted.headers["Location"]
    first = sign_in(app, regulator)
    long_reason = "Checked the end-user statement. " * 130  # over 4,000 characters
    refused = post_form(first, f"{case}/decision", {"decision": "approve",
                                                    "reason": long_reason}, page=case)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="reason"' in html and 'aria-describedby="reason-error"' in html
    assert 'id="reason-error"' in html and "4000" in html.replace(",", "")
    assert long_reason.strip()[:60] in html  # the text is still there to shorten
    assert re.search(r'value="approve" required checked', html)
    # approved once, the same regulator is not offered the countersignature
    post_form(first, f"{case}/decision", {"decision": "approve", "reason": "ok"}, page=case)
    html = first.get(case).get_data(as_text=True)
    assert 'value="approve"' not in html and "a different regulator must countersign" in html
    second = sign_in(app, make_account("regulator", name="Second"))
    assert 'value="approve"' in second.get(case).get_data(as_text=True)
