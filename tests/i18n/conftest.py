"""Fixtures for the language tests: compiled catalogues, the certificate world, zh clients."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.conftest import PASSWORD, csrf_token

TRANSLATIONS = Path(__file__).resolve().parents[2] / "broker_registry" / "i18n" / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """`make install` compiles the catalogues; a test run after editing a .po must not need it."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalogue = read_po(source)
            # Written aside, then renamed over: tests running in parallel never read half of it.
            fresh = mo.with_name(f"{mo.name}.{os.getpid()}")
            with fresh.open("wb") as target:
                write_mo(target, catalogue)
            fresh.replace(mo)


@pytest.fixture
def broker_api(api_as, make_account, regulator, db):
    """As the licence tests' broker, but its owner chose Chinese: mail and notices say it,
    from the registration's approval on."""
    from broker_registry.brokers.models import Broker
    from tests.records import BROKER

    owner = make_account("broker")
    owner.locale = "zh"
    db.add(owner)
    db.commit()
    api = api_as(owner)
    made = api.post("/api/v1/brokers", json=BROKER).get_json()
    approved = api_as(regulator).post(f"/api/v1/brokers/{made['id']}/decision",
                                      json={"decision": "approve", "reason": "ok"})
    assert approved.status_code == 200, approved.get_json()
    broker = db.get(Broker, made["id"])
    api.broker = broker
    return api


@pytest.fixture
def signed_in(app):
    """`signed_in(account, lang="zh")`: a client of its own, signed in, with a `lang` cookie."""

    def sign_in(account=None, lang: str | None = "zh"):
        client = app.test_client()
        if lang:
            client.set_cookie("lang", lang)
        if account is not None:
            token = csrf_token(client.get("/login").get_data(as_text=True))
            response = client.post("/login", data={"email": account.email, "password": PASSWORD,
                                                   "csrf_token": token})
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in
