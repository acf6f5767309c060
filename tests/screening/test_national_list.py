"""The national denied-parties list: the regulator chooses whom a denial lists, with grounds;
admins edit and remove entries with a reason; every change is audited; screening tells a
nationally listed party from a UN-listed one."""

from __future__ import annotations

import re

from sqlmodel import select

from broker_registry.audit.models import AuditEntry
from broker_registry.screening.models import DeniedParty
from tests.records import CLEAN, decide, submit


def national(db) -> list[DeniedParty]:
    return list(db.exec(select(DeniedParty).where(DeniedParty.source == "authority")
                        .order_by(DeniedParty.id)))


def audit(db, action: str) -> list[AuditEntry]:
    return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)
                        .order_by(AuditEntry.seq)))


def test_a_denial_lists_nobody_unless_the_regulator_chooses(db, broker_api, regulators):
    first, _ = regulators
    licence = submit(broker_api)
    assert decide(first, licence["id"], "deny", "Incomplete end-use statement.").status_code == 200
    assert national(db) == []
    # the legitimate supplier's next application is not flagged
    assert submit(broker_api)["screening"] == []


def test_the_regulator_lists_the_parties_chosen_with_grounds(db, broker_api, regulators):
    first, _ = regulators
    licence = submit(broker_api)
    denied = decide(first, licence["id"], "deny", "Diversion risk.", list_parties=["end_user"],
                    listing_grounds="End user diverted a previous consignment to a third party.")
    assert denied.status_code == 200, denied.get_json()
    [row] = national(db)
    assert (row.name, row.countries, row.licence_id) == (
        CLEAN["end_user"]["name"], ["GH"], licence["id"])
    assert row.grounds == "End user diverted a previous consignment to a third party."
    [entry] = audit(db, "screening.denied_parties_added")
    assert entry.reason == row.grounds and entry.after["names"] == [row.name]
    again = first.get(f"/api/v1/licences/{submit(broker_api)['id']}").get_json()
    assert {(f["rule"], f["evidence"]["reference"]) for f in again["screening"]} == {
        ("national_list", f"LA-{licence['id']:06d}/end_user")}


def test_listing_needs_a_denial_grounds_and_known_roles(db, broker_api, regulators):
    first, _ = regulators
    licence = submit(broker_api)
    for extra in ({"list_parties": ["end_user"]},
                  {"list_parties": ["end_user"], "listing_grounds": "  "},
                  {"list_parties": ["broker"], "listing_grounds": "x"},
                  {"list_parties": ["end_user", "end_user"], "listing_grounds": "x"}):
        refused = decide(first, licence["id"], "deny", "No.", **extra)
        assert refused.status_code == 422, extra
        assert refused.content_type == "application/problem+json"
    approve = decide(first, licence["id"], "approve", "Fine.", list_parties=["supplier"],
                     listing_grounds="x")
    assert approve.status_code == 422
    assert "deny" in approve.get_json()["detail"]
    assert national(db) == []
    status = first.get(f"/api/v1/licences/{licence['id']}").get_json()["status"]
    assert status == "submitted"


def listed(db, broker_api, regulators) -> DeniedParty:
    licence = submit(broker_api)
    decide(regulators[0], licence["id"], "deny", "No.", list_parties=["supplier"],
           listing_grounds="Supplier shipped to an embargoed destination.")
    [row] = national(db)
    return row


def test_an_admin_edits_an_entry_with_a_reason(db, api_as, broker_api, regulators):
    row = listed(db, broker_api, regulators)
    admin = api_as("admin")
    url = f"/api/v1/denied-parties/{row.id}"
    assert admin.get(url).get_json()["grounds"].startswith("Supplier shipped")
    no_reason = admin.patch(url, json={"aliases": ["FAE SpA"]})
    assert no_reason.status_code == 422
    edited = admin.patch(url, json={"aliases": ["FAE SpA"], "reason": "Trading name added."})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["aliases"] == ["FAE SpA"]
    db.refresh(row)
    assert row.aliases == ["FAE SpA"]
    [entry] = audit(db, "screening.denied_party_edited")
    assert entry.reason == "Trading name added."
    assert entry.before["aliases"] == [] and entry.after["aliases"] == ["FAE SpA"]
    assert regulators[0].patch(url, json={"reason": "x"}).status_code == 403


def test_an_admin_removes_an_entry_with_a_reason(db, api_as, broker_api, regulators):
    row = listed(db, broker_api, regulators)
    admin = api_as("admin")
    url = f"/api/v1/denied-parties/{row.id}/remove"
    assert admin.post(url, json={}).status_code == 422
    assert len(national(db)) == 1
    removed = admin.post(url, json={"reason": "Listed in error: the supplier was cleared."})
    assert removed.status_code == 200
    assert national(db) == []
    [entry] = audit(db, "screening.denied_party_removed")
    assert entry.reason.startswith("Listed in error")
    assert entry.before["name"] == CLEAN["supplier"]["name"]
    assert admin.post(url, json={"reason": "again"}).status_code == 404
    assert submit(broker_api)["screening"] == []


def test_un_entries_change_only_by_import(db, api_as, un_list):
    admin = api_as("admin")
    row = db.exec(select(DeniedParty).where(DeniedParty.source == "un")).first()
    refused = admin.post(f"/api/v1/denied-parties/{row.id}/remove", json={"reason": "x"})
    assert refused.status_code == 409 and "UN" in refused.get_json()["detail"]
    listing = admin.get("/api/v1/denied-parties?source=un").get_json()
    assert len(listing["items"]) == un_list


def test_screening_tells_un_listed_from_nationally_listed(db, broker_api, regulators, un_list,
                                                          login, make_account):
    licence = submit(broker_api)
    decide(regulators[0], licence["id"], "deny", "No.", list_parties=["consignee"],
           listing_grounds="Consignee is a front company.")
    end_user = {**CLEAN["end_user"], "name": "Viktor Orlov", "kind": "commercial"}
    flagged = submit(broker_api, end_user=end_user)
    assert {(f["rule"], f["party_role"], f["evidence"]["list"])
            for f in flagged["screening"]} == {("denied_party", "end_user", "un"),
                                               ("national_list", "consignee", "authority")}
    page = login(make_account("regulator")).get(f"/licences/{flagged['id']}")
    html = page.get_data(as_text=True)
    assert "party on the UN list" in html and "party on the national list" in html
    assert "on the UN Security Council Consolidated List (CDi.901" in html


# -- pages -------------------------------------------------------------------------------

def test_the_deny_form_offers_each_party_unticked(db, login, broker_api, regulator):
    from tests.licences.test_pages import post_form

    licence = submit(broker_api)
    client = login(regulator)
    url = f"/licences/{licence['id']}"
    html = client.get(url).get_data(as_text=True)
    boxes = re.findall(r'<input type="checkbox" name="list_parties" value="(\w+)"([^>]*)>', html)
    assert [role for role, _ in boxes] == ["supplier", "consignee", "end_user"]
    assert not any("checked" in rest for _, rest in boxes)
    assert "supplier: Fabbrica d&#39;Armi Esempio S.p.A." in html
    no_grounds = post_form(client, f"{url}/decision", {
        "decision": "deny", "reason": "No.", "list_parties": ["consignee"], "confirmed": "yes"},
        page=url)
    assert no_grounds.status_code == 422
    assert 'id="listing_grounds-error"' in no_grounds.get_data(as_text=True)
    assert national(db) == []
    done = post_form(client, f"{url}/decision", {
        "decision": "deny", "reason": "No.", "list_parties": ["consignee"],
        "listing_grounds": "Front company.", "confirmed": "yes"}, page=url)
    assert done.status_code == 302
    assert [(r.name, r.grounds) for r in national(db)] == [
        (CLEAN["consignee"]["name"], "Front company.")]


def test_an_admin_corrects_and_removes_an_entry_on_its_page(db, login, make_account,
                                                             broker_api, regulators):
    from tests.licences.test_pages import post_form

    row = listed(db, broker_api, regulators)
    client = login(make_account("admin"))
    listing = client.get("/admin/denied-parties?source=authority").get_data(as_text=True)
    url = f"/admin/denied-parties/{row.id}"
    assert f'href="{url}"' in listing
    page = client.get(url).get_data(as_text=True)
    assert "Supplier shipped to an embargoed destination." in page
    form = {"name": row.name, "aliases": "FAE SpA\n\nFabbrica Esempio", "countries": "IT",
            "grounds": row.grounds}
    unreasoned = post_form(client, url, form)
    assert unreasoned.status_code == 422 and 'id="reason-error"' in unreasoned.text
    corrected = post_form(client, url, {**form, "reason": "Trading names added."})
    assert corrected.status_code == 302
    db.refresh(row)
    assert row.aliases == ["FAE SpA", "Fabbrica Esempio"]
    refused = post_form(client, f"{url}/remove", {}, page=url)
    assert refused.status_code == 422 and 'id="remove_reason-error"' in refused.text
    removed = post_form(client, f"{url}/remove", {"remove_reason": "Cleared on appeal."},
                        page=url)
    assert removed.status_code == 302 and national(db) == []
    actions = [e.action for e in db.exec(select(AuditEntry).where(
        AuditEntry.subject_type == "denied_party").order_by(AuditEntry.seq))]
    assert actions == ["screening.denied_party_edited", "screening.denied_party_removed"]


def test_a_un_entry_page_offers_no_change(db, login, make_account, un_list):
    row = db.exec(select(DeniedParty).where(DeniedParty.source == "un")).first()
    page = login(make_account("admin")).get(f"/admin/denied-parties/{row.id}").text
    assert "change only by importing the UN list" in page
    assert "/remove" not in page
