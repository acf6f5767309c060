"""Reasons the registry writes itself (a broker's sanction reaching a licence and its
certificates) are stored in English; a page says them in the reader's language, with the
regulator's own words as typed."""

import html

ZH = {"Accept-Language": "zh-CN"}


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_brokers_sanction_reads_in_chinese_where_it_reached(certificate, licence, broker_api,
                                                              regulators, login, customs):
    suspended = regulators[0].post(f"/api/v1/brokers/{broker_api.broker.id}/suspend",
                                   json={"reason": "under investigation"})
    assert suspended.status_code == 200
    number = suspended.get_json()["registration_number"]
    said = f"中介商登记 {number} 已暂停：under investigation"

    pages = login(regulators[0].account)
    licence_page = _text(pages.get(f"/licences/{licence['id']}", headers=ZH))
    assert said in licence_page and "Broker registration" not in licence_page
    certificate_page = _text(pages.get(f"/certificates/{certificate['number']}", headers=ZH))
    assert said in certificate_page and "Broker registration" not in certificate_page

    english = _text(pages.get(f"/licences/{licence['id']}", headers={"Accept-Language": "en"}))
    assert f"Broker registration {number} suspended: under investigation" in english


def test_the_verify_page_says_the_cascaded_reason_in_chinese(certificate, broker_api,
                                                             regulators, login, make_account):
    regulators[0].post(f"/api/v1/brokers/{broker_api.broker.id}/suspend",
                       json={"reason": "under investigation"})
    pages = login(make_account("customs"))
    page = _text(pages.get("/customs/verify", query_string={
        "payload": certificate["qr_payload"], "lang": "zh"}))
    assert "已暂停：under investigation" in page
    assert "Broker registration" not in page


def test_a_short_delivery_and_key_reasons_read_in_chinese(app):
    from flask_babel import force_locale

    from broker_registry.audit.reasons import Recorded, delivery_short
    from broker_registry.i18n.reasons import recorded_reason

    def said(reason: Recorded) -> str:
        return recorded_reason(reason.english, reason.code, reason.params)

    short = delivery_short([(1, 4, 5), (3, 0, 2)])
    assert short.english == "line 1: 4 received of 5 shipped; line 3: 0 received of 2 shipped"
    with app.test_request_context(), force_locale("zh"):
        assert said(short) == "第 1 项：已发运 5，收到 4；第 3 项：已发运 2，收到 0"
        assert said(Recorded("first_signer")) == "首个签名密钥"
        assert said(Recorded("rotated")) == "已轮换"
        # a person's words have no code: kept as typed, even when they look like ours
        assert recorded_reason("line 1: 4 received of 5 shipped") == \
            "line 1: 4 received of 5 shipped"
        assert recorded_reason(None) is None
    with app.test_request_context(), force_locale("en"):
        assert said(delivery_short([(1, 4, 5)])) == "line 1: 4 received of 5 shipped"
