"""Every registration decision reaches the broker (a notification, and a mail through the
outbox when mail is configured), in the broker's language; the reason sent to the applicant
is kept apart from the regulator's internal note, which only staff see."""

from __future__ import annotations

from sqlmodel import select

from broker_registry.audit.models import AuditEntry
from broker_registry.notifications.models import Notification, OutboxMessage
from broker_registry.permissions import Role
from tests.factories import broker_application
from tests.licences.test_pages import post_form
from tests.notifications.test_outbox import use_smtp
from tests.records import decide, submit


def notes(db, account_id) -> list[Notification]:
    return list(db.exec(select(Notification).where(Notification.account_id == account_id)
                        .order_by(Notification.id)))


def test_every_registration_decision_is_told(app, db, api_as, make_account):
    use_smtp(app, "smtp://127.0.0.1:1")
    owner = make_account(Role.BROKER)
    broker, regulator = api_as(owner), api_as("regulator")
    made = broker.post("/api/v1/brokers", json=broker_application()).get_json()
    url = f"/api/v1/brokers/{made['id']}"
    approved = regulator.post(f"{url}/decision", json={
        "decision": "approve", "reason": "Documents complete.",
        "internal_note": "Checked the company register by phone."}).get_json()
    number = approved["registration_number"]
    for action in ("suspend", "reinstate", "revoke"):
        assert regulator.post(f"{url}/{action}", json={"reason": f"{action} now"}) \
            .status_code == 200
    told = notes(db, owner.id)
    assert [n.subject for n in told] == [
        f"Broker registration {number}: approved",
        f"Broker registration {number}: suspended",
        f"Broker registration {number}: reinstated",
        f"Broker registration {number}: revoked"]
    assert "Reason: Documents complete." in told[0].body
    assert "company register" not in told[0].body  # the internal note is never sent
    mails = list(db.exec(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [m.subject for m in mails] == [n.subject for n in told]
    assert {m.to_address for m in mails} == {made["email"]}


def test_a_refusal_is_told_in_the_brokers_language(db, api_as, make_account):
    owner = make_account(Role.BROKER)
    owner.locale = "zh"
    db.add(owner)
    db.commit()
    made = api_as(owner).post("/api/v1/brokers", json=broker_application()).get_json()
    api_as("regulator").post(f"/api/v1/brokers/{made['id']}/decision",
                             json={"decision": "refuse", "reason": "Missing documents."})
    [note] = notes(db, owner.id)
    assert "已拒绝" in note.subject and "Missing documents." in note.body


def test_the_internal_note_is_kept_for_staff_only(db, api_as, make_account, login):
    owner = make_account(Role.BROKER)
    broker = api_as(owner)
    made = broker.post("/api/v1/brokers", json=broker_application()).get_json()
    regulator = make_account(Role.REGULATOR)
    client = login(regulator)
    page = f"/brokers/{made['id']}"
    form = client.get(page).text
    assert "Reason sent to the applicant" in form and "Internal note (not sent" in form
    done = post_form(client, f"{page}/decision", {
        "decision": "approve", "reason": "Complete.", "internal_note": "Owner known to us."})
    assert done.status_code == 302
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "broker.approved")).one()
    assert entry.reason == "Complete." and entry.after["internal_note"] == "Owner known to us."
    assert "Owner known to us." in client.get(page).text
    as_broker = broker.get(f"/api/v1/brokers/{made['id']}").get_json()
    assert "Owner known to us." not in str(as_broker)
    assert api_as(regulator).get(f"/api/v1/brokers/{made['id']}").get_json()[
        "history"][-1]["internal_note"] == "Owner known to us."


def test_a_sanctioned_licence_is_not_called_an_application(db, licence, regulators,
                                                           broker_api):
    regulators[0].post(f"/api/v1/licences/{licence['id']}/revoke", json={"reason": "Diverted."})
    note = notes(db, broker_api.account.id)[-1]
    assert "application" not in note.body
    assert f"Your brokering licence {licence['licence_number']} was revoked." in note.body
    again = regulators[0].post(f"/api/v1/licences/{licence['id']}/suspend", json={"reason": "x"})
    assert again.get_json()["detail"].startswith("The licence is revoked; it cannot be")


def test_a_licence_decision_keeps_its_internal_note_from_the_broker(db, broker_api,
                                                                     regulators):
    licence = submit(broker_api)
    decide(regulators[0], licence["id"], "deny", "End use not credible.",
           internal_note="Intelligence report 42.")
    note = notes(db, broker_api.account.id)[-1]
    assert "End use not credible." in note.body and "Intelligence" not in note.body
    seen = broker_api.get(f"/api/v1/licences/{licence['id']}").get_json()
    assert "Intelligence" not in str(seen)
    staff = regulators[1].get(f"/api/v1/licences/{licence['id']}").get_json()
    assert staff["history"][-1]["internal_note"] == "Intelligence report 42."


def test_a_refused_renewal_is_told_in_the_tables_words(app, db, make_account):
    """The past tense told comes from the registration's transition table, one per row."""
    from broker_registry.brokers import service
    from broker_registry.brokers.schemas import BrokerApplication
    from broker_registry.db.columns import utcnow

    owner, regulator = make_account(Role.BROKER), make_account(Role.REGULATOR)
    broker = service.apply(db, owner=owner,
                           application=BrokerApplication.model_validate(broker_application()))
    service.decide(db, actor=regulator, broker_id=broker.id, decision="approve", reason="ok",
                   years=3, country="XX")
    broker.renewal_requested_at = utcnow()
    db.add(broker)
    service.decide(db, actor=regulator, broker_id=broker.id, decision="refuse",
                   reason="Audit findings open.", years=3, country="XX")
    assert [n.subject.rsplit(": ", 1)[1] for n in notes(db, owner.id)] == [
        "approved", "renewal refused"]
    assert service.TRANSITIONS.past("refuse_renewal") == "renewal refused"
