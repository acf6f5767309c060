"""Screening at submission and at decision: embargoes, denied parties, acknowledgement."""

from __future__ import annotations

from sqlmodel import select

from broker_registry.screening.models import DeniedParty
from tests.records import CLEAN, application, decide, submit


def findings(licence: dict) -> list[tuple[str, str, bool]]:
    return sorted((f["rule"], f["party_role"], f["blocking"]) for f in licence["screening"])


def test_a_clean_application_has_no_findings(broker_api, un_list):
    assert un_list == 10
    assert submit(broker_api)["screening"] == []


def test_alias_in_another_script_is_found(broker_api, un_list, regulators):
    end_user = {**CLEAN["end_user"], "name": "Виктор Орлов", "kind": "commercial"}
    licence = submit(broker_api, end_user=end_user)
    [finding] = licence["screening"]
    assert (finding["rule"], finding["party_role"], finding["blocking"]) == \
        ("denied_party", "end_user", False)
    evidence = finding["evidence"]
    assert evidence["list"] == "un" and evidence["reference"] == "CDi.901"
    assert evidence["listed_name"] == "VIKTOR PETROVICH ORLOV"
    assert evidence["matched_name"] in {"Виктор Орлов", "VIKTOR PETROVICH ORLOV"}
    assert evidence["score"] >= 88 and finding["matched"] == "Виктор Орлов"
    assert finding["screened_at"]
    # approval waits for the regulator to acknowledge the finding
    first, second = regulators
    refused = decide(first, licence["id"], "approve")
    assert refused.status_code == 409 and "acknowledged" in refused.get_json()["detail"]
    approved = decide(first, licence["id"], "approve", acknowledge_findings=True).get_json()
    assert approved["status"] == "awaiting_countersignature"
    assert approved["screening"][0]["acknowledged_by"] == first.account.id
    # the acknowledgement survives the countersigner's re-screening
    assert decide(second, licence["id"], "approve").get_json()["status"] == "issued"


def test_full_embargo_blocks_approval(broker_api, regulators):
    end_user = {"name": "Korea General Trading", "address": "Pyongyang", "country": "KP",
                "kind": "government"}
    licence = submit(broker_api, end_user=end_user,
                     consignee={"name": "Consignee KP", "address": "Nampo", "country": "KP"})
    assert findings(licence) == [("embargo_full", "consignee", True),
                                 ("embargo_full", "destination", True),
                                 ("embargo_full", "end_user", True)]
    kp = licence["screening"][0]["evidence"]
    assert kp["resolution"] == "S/RES/1718 (2006)" and kp["since"] == "2006-10-14"
    first, _ = regulators
    response = decide(first, licence["id"], "approve", acknowledge_findings=True)
    assert response.status_code == 409
    assert "full arms embargo" in response.get_json()["detail"]
    assert "S/RES/1718 (2006)" in response.get_json()["detail"]
    assert first.get(f"/api/v1/licences/{licence['id']}").get_json()["status"] == "submitted"
    assert decide(first, licence["id"], "deny", "Embargo.").get_json()["status"] == "denied"


def test_transit_through_an_embargoed_country_blocks(broker_api):
    licence = submit(broker_api, transit_countries=["FR", "SS"])
    assert findings(licence) == [("embargo_full", "transit", True)]


def test_partial_embargo_needs_acknowledgement(broker_api, regulators):
    end_user = {"name": "Somali National Army", "address": "Mogadishu", "country": "SO",
                "kind": "armed_forces"}
    licence = submit(broker_api, end_user=end_user)
    assert findings(licence) == [("embargo_partial", "destination", False),
                                 ("embargo_partial", "end_user", False)]
    end_user_finding = next(f for f in licence["screening"] if f["party_role"] == "end_user")
    assert end_user_finding["evidence"]["end_user_kind"] == "armed_forces"
    first, _ = regulators
    assert decide(first, licence["id"], "approve").status_code == 409
    assert decide(first, licence["id"], "approve", acknowledge_findings=True).status_code == 200


def test_an_embargo_added_later_is_found_at_decision(db, broker_api, regulators, make_account):
    from broker_registry.screening import service
    from broker_registry.screening.schemas import EmbargoInput

    licence = submit(broker_api)
    service.set_embargo(db, actor=make_account("admin"), embargo=EmbargoInput(
        country="GH", scope="full", resolution="S/RES/9999 (2030)", since="2030-01-01"))
    db.commit()
    first, _ = regulators
    response = decide(first, licence["id"], "approve")
    assert response.status_code == 409 and "S/RES/9999 (2030)" in response.get_json()["detail"]


ALL_PARTIES = {"list_parties": ["supplier", "consignee", "end_user"],
               "listing_grounds": "Every party took part in the diversion."}


def test_denial_adds_the_chosen_parties_to_the_list(db, broker_api, regulators):
    licence = submit(broker_api)
    first, _ = regulators
    decide(first, licence["id"], "deny", "Diversion risk.", **ALL_PARTIES)
    rows = list(db.exec(select(DeniedParty).where(DeniedParty.source == "authority")
                        .order_by(DeniedParty.id)))
    reference = f"LA-{licence['id']:06d}"
    assert [(r.reference, r.name) for r in rows] == [
        (f"{reference}/{role}", CLEAN[role]["name"])
        for role in ("supplier", "consignee", "end_user")]
    assert all(r.licence_id == licence["id"] for r in rows)
    again = submit(broker_api)
    as_regulator = first.get(f"/api/v1/licences/{again['id']}").get_json()
    exact = {(f["party_role"], f["evidence"]["reference"]) for f in as_regulator["screening"]
             if f["evidence"]["score"] == 100}
    assert {(role, f"{reference}/{role}")
            for role in ("supplier", "consignee", "end_user")} <= exact
    assert {f["evidence"]["list"] for f in again["screening"]} == {"authority"}


def test_a_broker_never_sees_another_cases_denial_or_who_acknowledged(
        db, app, broker_api, register_broker, api_as, regulators):
    from tests.licences.test_pages import sign_in

    first, second = regulators
    denied = submit(broker_api)
    decide(first, denied["id"], "deny", "Diversion risk.", **ALL_PARTIES)
    other_owner, other_broker = register_broker()
    other = api_as(other_owner)
    flagged = other.post("/api/v1/licences", json={
        **application(other_broker.id)}).get_json()
    assert flagged["screening"], "the denied parties must be found again"
    decide(first, flagged["id"], "approve", acknowledge_findings=True)
    seen = other.get(f"/api/v1/licences/{flagged['id']}").get_json()["screening"]
    for finding in seen:
        assert finding["evidence"].keys() <= {"list", "list_type", "score"}
        assert finding["evidence"]["list"] == "authority"
        assert finding["acknowledged_by"] is None and finding["acknowledged_at"]
    page = sign_in(app, other_owner).get(f"/licences/{flagged['id']}").get_data(as_text=True)
    assert f"LA-{denied['id']:06d}" not in page
    assert "matches a party on this authority’s national denied-parties list" in page
    staff_view = second.get(f"/api/v1/licences/{flagged['id']}").get_json()["screening"]
    assert {f["evidence"]["reference"].split("/")[0] for f in staff_view} == {
        f"LA-{denied['id']:06d}"}
    assert {f["acknowledged_by"] for f in staff_view} == {first.account.id}


def test_approval_stays_on_offer_when_an_embargo_found_before_is_lifted(
        app, db, broker_api, regulators, regulator, make_account):
    from broker_registry.screening import service
    from broker_registry.screening.schemas import EmbargoInput
    from tests.licences.test_pages import sign_in

    admin = make_account("admin")
    service.set_embargo(db, actor=admin, embargo=EmbargoInput(
        country="GH", scope="full", resolution="S/RES/9999 (2030)", since="2030-01-01"))
    db.commit()
    licence = submit(broker_api)
    assert [f["blocking"] for f in licence["screening"]] == [True] * len(licence["screening"])
    page = sign_in(app, regulator).get(f"/licences/{licence['id']}").get_data(as_text=True)
    assert "A full arms embargo blocks approval." in page and 'value="approve"' in page
    service.remove_embargo(db, actor=admin, country="GH", reason="Lifted by S/RES/9999.")
    db.commit()
    first, _ = regulators
    assert decide(first, licence["id"], "approve").get_json()["status"] == \
        "awaiting_countersignature"  # screened again at the decision: nothing blocks now
