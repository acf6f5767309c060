"""A page's form that makes something, sent twice (a double tap, the back button and submit
again), makes it once: one shipment, one certificate, one application."""

from __future__ import annotations

import re

from sqlmodel import select

from broker_registry.certificates.models import Certificate
from broker_registry.customs.models import Shipment
from broker_registry.licences.models import Licence
from tests.conftest import csrf_token
from tests.licences.test_pages import form_for, sign_in


def _form(client, url: str, **query) -> dict:
    html = client.get(url, query_string=query).get_data(as_text=True)
    nonce = re.search(r'name="form_nonce" value="([^"]+)"', html)
    assert nonce, "the form carries no nonce"
    return {"csrf_token": csrf_token(html), "form_nonce": nonce.group(1)}


def test_a_shipment_form_sent_twice_records_one_shipment(db, login, make_account, certificate):
    pages = login(make_account("customs"))
    hidden = _form(pages, "/customs/verify", payload=certificate["qr_payload"])
    url = f"/customs/certificates/{certificate['number']}/shipments"
    form = {**hidden, "border_post": "Aflao", "payload": certificate["qr_payload"],
            "quantity_1": "3"}
    first, second = pages.post(url, data=form), pages.post(url, data=form)
    assert first.status_code == second.status_code == 302
    assert len(db.exec(select(Shipment)).all()) == 1
    page = pages.get(second.headers["Location"]).get_data(as_text=True)
    assert "Shipment recorded" in page
    changed = pages.post(url, data={**form, "quantity_1": "4"})  # back, edited, sent again
    assert changed.status_code == 409
    assert "sent before with other quantities" in changed.get_data(as_text=True)
    assert len(db.exec(select(Shipment)).all()) == 1
    fresh = _form(pages, "/customs/verify", payload=certificate["qr_payload"])
    assert pages.post(url, data={**form, **fresh}).status_code == 302  # a new form: a new one
    assert len(db.exec(select(Shipment)).all()) == 2


def test_a_certificate_form_sent_twice_issues_one_certificate(db, login, regulator, licence):
    pages = login(regulator)
    url = f"/licences/{licence['id']}/certificates/new"
    form = {**_form(pages, url), "quantity_1": "1"}
    first, second = pages.post(url, data=form), pages.post(url, data=form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(db.exec(select(Certificate)).all()) == 1
    assert "already sent" in pages.get(second.headers["Location"]).get_data(as_text=True)


def test_an_application_form_sent_twice_makes_one_application(app, db, register_broker):
    owner, broker = register_broker()
    pages = sign_in(app, owner)
    form = {**_form(pages, "/licences/apply"), **form_for(broker.id, action="submit")}
    first = pages.post("/licences/apply", data=form)
    second = pages.post("/licences/apply", data=form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(db.exec(select(Licence)).all()) == 1


def test_the_same_form_sent_at_the_same_moment_issues_one_certificate(isolated_app,
                                                                       live_server):
    """Four sends racing over real HTTP and real commits: the unique nonce lets one win, and
    every other send is shown the winner's certificate."""
    import threading

    import requests

    from tests.customs.live import certificate_on

    _, _, licence = certificate_on(isolated_app, quantity=1)
    browser = requests.Session()
    token = csrf_token(browser.get(f"{live_server.url}/login").text)
    signed_in = browser.post(f"{live_server.url}/login", allow_redirects=False, data={
        "email": "r1@example.org", "password": "correct horse battery staple",
        "csrf_token": token})
    assert signed_in.status_code == 302
    url = f"{live_server.url}/licences/{licence['id']}/certificates/new"
    page = browser.get(url).text
    # Every quantity left empty: all that is left. A send that went on after the first would
    # find nothing left and refuse; it must be shown the first's certificate instead.
    form = {"csrf_token": csrf_token(page), "quantity_1": "", "quantity_2": "",
            "form_nonce": re.search(r'name="form_nonce" value="([^"]+)"', page).group(1)}
    start, answers = threading.Barrier(4), []

    def send():
        start.wait()
        answers.append(browser.post(url, data=form, allow_redirects=False))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [a.status_code for a in answers] == [302] * 4
    assert len({a.headers["Location"] for a in answers}) == 1
    with isolated_app.app_context():
        from broker_registry import db

        issued = db.session().exec(select(Certificate)
                                   .where(Certificate.licence_id == licence["id"])).all()
    assert len(issued) == 2  # the one certificate_on issued, and this form's one
