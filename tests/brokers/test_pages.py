import dataclasses

from tests.conftest import csrf_token
from tests.mailbox import confirm_link, path_of


def _post_form(client, url, data):
    page = client.get(url)
    assert page.status_code == 200, url
    return client.post(url, data={**data, "csrf_token": csrf_token(page.get_data(as_text=True))})


def test_sign_up_apply_approve_and_find_in_the_register(app, db, make_account, login):
    broker = app.test_client()
    signed_up = _post_form(broker, "/signup", {
        "display_name": "Amina Diallo", "email": "amina@example.org",
        "password": "a long enough password"})
    assert signed_up.status_code == 200 and "Check your email" in signed_up.get_data(as_text=True)
    link = confirm_link(db, "amina@example.org")
    confirmed = _post_form(broker, path_of(link), {"token": link.split("token=")[1],
                                                   "password": "a long enough password"})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/brokers/apply"

    applied = _post_form(broker, "/brokers/apply", {
        "legal_name": "Diallo Courtage SARL", "kind": "company", "country": "SN",
        "company_number": "SN-DKR-2020-B-1234", "address": "Rue 10, Dakar",
        "email": "contact@diallo.example", "activities": ["brokering", "financing"],
        "owner_name": ["Amina Diallo", ""], "owner_nationality": ["SN", ""],
    })
    assert applied.status_code == 302
    detail_url = applied.headers["Location"]
    page = broker.get(detail_url).get_data(as_text=True)
    assert "Diallo Courtage SARL" in page and "submitted" in page

    regulator = login(make_account("regulator"))
    queue = regulator.get("/regulator/brokers").get_data(as_text=True)
    assert "Diallo Courtage SARL" in queue
    case = regulator.get(detail_url).get_data(as_text=True)
    decided = regulator.post(f"{detail_url}/decision", data={
        "decision": "approve", "reason": "Checked with the company register",
        "csrf_token": csrf_token(case)})
    assert decided.status_code == 302
    page = regulator.get(detail_url).get_data(as_text=True)
    assert "registered" in page and "Checked with the company register" in page

    register = app.test_client().get("/register?q=Diallo").get_data(as_text=True)
    assert "Diallo Courtage SARL" in register and "BR-XX-" in register
    assert "contact@diallo.example" not in register  # no contact data in the public register


def test_form_errors_are_shown_next_to_the_fields(app, db, make_account, login):
    broker = login(make_account("broker"))
    response = _post_form(broker, "/brokers/apply", {
        "legal_name": "", "kind": "company", "country": "ZZ", "address": "x",
        "email": "bad", "activities": []})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="country-error">Select the country<' in page  # plain words, on the field
    assert 'aria-invalid="true"' in page
    from sqlmodel import select

    from broker_registry.brokers.models import Broker

    assert db.exec(select(Broker)).all() == []


def test_a_form_posted_without_the_csrf_token_is_refused(app, make_account, login):
    broker = login(make_account("broker"))
    response = broker.post("/brokers/apply", data={"legal_name": "No Token Ltd"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_a_regulator_sees_a_conflict_on_the_page(app, make_account, login, api_as):
    from tests.factories import registered_broker

    _, registration = registered_broker(api_as)
    regulator = login(make_account("regulator"))
    url = f"/brokers/{registration['id']}"
    page = regulator.get(url).get_data(as_text=True)
    response = regulator.post(f"{url}/reinstate", data={"reason": "x",
                                                        "csrf_token": csrf_token(page)})
    assert response.status_code == 409
    assert "cannot be reinstated" in response.get_data(as_text=True)


def test_login_renews_the_session_and_logout_ends_it(app, make_account, login):
    account = make_account("customs")
    client = login(account)
    assert client.get("/account").status_code == 200
    page = client.get("/account").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(page)})
    assert client.get("/account").status_code == 302


def test_login_redirects_only_to_local_paths(app, make_account):
    account = make_account("broker")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login?next=//evil.example/x", data={
        "email": account.email, "password": "correct horse battery staple",
        "csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/brokers/mine"  # their own page, not evil's


APPLICATION = {"legal_name": "Diallo Courtage SARL", "kind": "company", "country": "SN",
               "company_number": "SN-DKR-2020-B-1234",
               "address": "Rue 10, Dakar", "email": "contact@diallo.example",
               "activities": ["brokering"], "owner_name": ["Amina Diallo"],
               "owner_nationality": ["SN"]}


def test_the_form_sent_twice_makes_one_application(app, db, make_account, login):
    from sqlmodel import select

    from broker_registry.audit.models import AuditEntry
    from broker_registry.brokers.models import Broker

    broker = login(make_account("broker"))
    assert _post_form(broker, "/brokers/apply", APPLICATION).status_code == 302
    again = _post_form(broker, "/brokers/apply", APPLICATION)
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert 'id="legal_name-error"' in page and "You already have a registration" in page
    assert len(db.exec(select(Broker)).all()) == 1
    assert len(db.exec(select(AuditEntry).where(AuditEntry.action == "broker.applied")).all()) == 1
    other = _post_form(broker, "/brokers/apply", {**APPLICATION, "country": "GH"})
    assert other.status_code == 302  # the same name in another country is another broker


def test_an_owner_without_a_nationality_is_refused_not_dropped(app, db, make_account, login):
    from sqlmodel import select

    from broker_registry.brokers.models import Broker

    broker = login(make_account("broker"))
    response = _post_form(broker, "/brokers/apply", {
        **APPLICATION, "owner_name": ["Amina Diallo", "Hidden Partner"]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Owner 2: Select the owner’s nationality" in page  # which owner, which field
    assert 'id="owner_nationality_1-error"' in page
    assert db.exec(select(Broker)).all() == []


def test_renewal_is_offered_only_when_it_can_be_asked(app, db, make_account, login, api_as):
    from datetime import timedelta

    from broker_registry.brokers.models import Broker
    from broker_registry.db.columns import utcnow
    from tests.factories import registered_broker

    owner = make_account("broker")
    _, registration = registered_broker(api_as, broker=api_as(owner))
    pages = login(owner)
    page = pages.get(f"/brokers/{registration['id']}").get_data(as_text=True)
    record = db.get(Broker, registration["id"])
    opens = f"{record.valid_until - timedelta(days=90):%Y-%m-%d}"
    assert "Ask for renewal" not in page
    assert f"Renewal opens on {opens}, 90 days before the registration expires." in page
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], renewal_window_days=30)
    page = pages.get(f"/brokers/{registration['id']}").get_data(as_text=True)
    opens = f"{record.valid_until - timedelta(days=30):%Y-%m-%d}"
    assert f"Renewal opens on {opens}, 30 days before the registration expires." in page
    record.valid_until = utcnow() + timedelta(days=30)
    db.add(record)
    db.commit()
    page = pages.get(f"/brokers/{registration['id']}").get_data(as_text=True)
    assert "Ask for renewal" in page
