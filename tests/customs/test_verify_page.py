"""The customs page's paste box: a paste too long for any certificate is said to be so."""

from __future__ import annotations

from tests.conftest import csrf_token


def verdict_of(page: str) -> str:
    """The verdict banner alone: the page also carries the whole verdict table for its own
    verifier (customs/lane.py), every word of it."""
    start = page.index('<section id="verdict"')
    return page[start:page.index("</section>", start)]


def test_a_paste_longer_than_any_code_is_refused_as_too_long(login, make_account, certificate):
    pages = login(make_account("customs"))
    too_long = certificate["qr_payload"] + "A" * 8192
    token = csrf_token(pages.get("/customs/verify").get_data(as_text=True))
    for response in (pages.post("/customs/verify", data={"csrf_token": token,
                                                         "payload": too_long}),
                     pages.get("/customs/verify", query_string={"payload": too_long})):
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "longer than any certificate" in page and "8192" in page.replace(",", "")
        assert "MALFORMED" not in verdict_of(page)
    genuine = pages.post("/customs/verify", data={"csrf_token": token,
                                                  "payload": certificate["qr_payload"]})
    assert genuine.status_code == 200 and "VALID" in genuine.get_data(as_text=True)


def test_a_photo_over_the_limit_is_said_to_be_too_large(login, make_account, keys):
    import io

    pages = login(make_account("customs"))
    token = csrf_token(pages.get("/customs/verify").get_data(as_text=True))
    big = b"\xff\xd8\xff\xe0" + b"\x00" * (9 * 1024 * 1024)  # a JPEG's start, 9 MiB long
    response = pages.post("/customs/verify", content_type="multipart/form-data", data={
        "csrf_token": token, "image": (io.BytesIO(big), "photo.jpg")})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "limited to 8 MiB" in page and "not a readable" not in verdict_of(page)


def test_a_refused_shipment_keeps_what_was_typed_beside_its_error(db, login, make_account,
                                                                  certificate):
    from sqlmodel import select

    from broker_registry.customs.models import Shipment

    pages = login(make_account("customs"))
    html = pages.get("/customs/verify", query_string={"payload": certificate["qr_payload"]})
    token = csrf_token(html.get_data(as_text=True))
    refused = pages.post(f"/customs/certificates/{certificate['number']}/shipments", data={
        "csrf_token": token, "payload": certificate["qr_payload"], "border_post": "Aflao",
        "quantity_1": "1", "markings_1": "PX-1\nPX-2", "quantity_2": "7"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'value="Aflao"' in page and 'value="7"' in page and "PX-1\nPX-2" in page
    assert 'id="markings_1-error"' in page and "more markings than items" in page
    assert 'href="#markings_1">Markings of line 1' in page
    assert db.exec(select(Shipment)).all() == []


def test_an_unreadable_code_is_explained_in_the_readers_language(login, make_account, keys):
    import cbor2

    from certs.cose import protected_header
    from certs.qrtext import encode_qr_text

    def sign1(payload: bytes) -> str:
        return encode_qr_text(cbor2.dumps(cbor2.CBORTag(
            18, [protected_header(b"k" * 8), {}, payload, b"\0" * 64])))

    pages = login(make_account("customs"))
    for payload, english, chinese in (
            ("hello", "does not start with EUC1:", "未以 EUC1: 开头"),
            ("EUC1:AAAA", "cut short or mistyped", "代码不完整或输入有误"),
            ("EUC1:" + "0" * 30, "compressed content is damaged", "其压缩内容已损坏"),
            (encode_qr_text(cbor2.dumps([b"", {}, b"", b""])),
             "signed envelope is not in the form", "签名封装不符合"),
            (sign1(cbor2.dumps([1, 2])), "does not follow the end-user certificate",
             "内容不符合最终用户证书"),
            (sign1(cbor2.dumps({1: "XX-NCA", 6: 1, 5: 1, 4: 2, 7: b"c" * 16, -70001: {}})),
             "does not follow the end-user certificate", "内容不符合最终用户证书")):
        page = verdict_of(pages.get("/customs/verify", query_string={"payload": payload},
                                    headers={"Accept-Language": "en"}).get_data(as_text=True))
        assert "MALFORMED" in page and english in page and "zlib" not in page, payload
        assert "COSE" not in page and "CWT" not in page and "schema 1" not in page, payload
        page = verdict_of(pages.get("/customs/verify",
                                    query_string={"payload": payload, "lang": "zh"}
                                    ).get_data(as_text=True))
        assert chinese in page, payload
