"""The lane holds the partner authorities its registry trusts (docs/spec/federation.md 5.1):
after one visit, a partner's certificate verifies on the device without a network, naming its
issuer in the page's language; a partner whose lists are not signed under its own root is
left out, so its certificates are refused on the device."""

import time

import pytest
from flask_babel import force_locale

from broker_registry import db
from broker_registry.federation import service
from broker_registry.i18n.verdicts import reason_text
from broker_registry.keys.authority import authority
from tests.browser.conftest import sign_in
from tests.browser.test_lane import open_lane, scan
from tests.browser.test_lane_offline import KEPT
from tests.certs.factories import DAY
from tests.certs.federated import Issuer, issuer
from tests.customs.live import certificate_on

pytestmark = pytest.mark.browser
ABROAD = ("Issued by Authority PP-NCA (PP-NCA): the quantities left are known only to the "
          "issuing registry.")


def _trust(app, who: Issuer, lists_of: Issuer) -> None:
    """Trust `who` under its root, holding the lists `lists_of` signed."""
    with app.app_context():
        session = db.session()
        candidate = service.candidate(code=who.code, name=f"Authority {who.code}",
                                      base_url="https://partner.example", root=who.root_der)
        row = service.add(session, actor=None, proposed=candidate,
                          confirmed_fingerprint=candidate.fingerprint,
                          home_code=authority().code)
        row.trust_list, row.revocations_full = lists_of.trust_list(), lists_of.revocations()
        session.add(row)
        session.commit()
    app.extensions["foreign_trust"].invalidate()


def test_a_partner_s_certificate_verifies_on_the_device_offline(isolated_app, live_server,
                                                                page):
    certificate, _, _ = certificate_on(isolated_app)
    pp, qq = issuer("PP-NCA"), issuer("QQ-NCA")
    _trust(isolated_app, pp, pp)
    _trust(isolated_app, qq, Issuer("QQ-NCA", issuer("RR-NCA").keys))  # not under QQ's root
    exp = int(time.time()) + 30 * DAY
    sign_in(page, live_server.url, "officer@example.org")
    open_lane(page, live_server.url)
    page.wait_for_selector(KEPT, state="attached", timeout=30_000)
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-lane=ready]", timeout=30_000)
    assert page.evaluate("navigator.onLine") is False

    theirs = scan(page, pp.certificate(exp=exp), 1, source="device")
    assert theirs["result"] == "VALID" and ABROAD in theirs["text"], theirs
    assert "what is left is known online" not in theirs["text"]
    assert "Checked on this device" in theirs["text"]
    assert page.get_by_role("button", name="Record shipment").is_visible()
    refused = scan(page, qq.certificate(exp=exp), 2, source="device")
    assert refused["result"] == "UNKNOWN_SIGNER", refused
    assert ("The certificate names the authority QQ-NCA, which is not among the authorities "
            "trusted here.") in refused["text"]
    ours = scan(page, certificate["qr_payload"], 3, source="device")
    assert ours["result"] == "VALID" and "Issued by" not in ours["text"]

    page.context.set_offline(False)  # the same verdict in Chinese, from the same table
    open_lane(page, live_server.url, "?lang=zh")
    page.context.set_offline(True)
    chinese = scan(page, pp.certificate(exp=exp), 1, source="device")
    with isolated_app.test_request_context(), force_locale("zh"):
        expected = reason_text("issued_abroad", {"authority": "PP-NCA",
                                                 "name": "Authority PP-NCA"})
    assert chinese["result"] == "VALID" and expected in chinese["text"], chinese
    assert expected != ABROAD
