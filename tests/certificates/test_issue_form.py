"""The issue page's quantities: empty certifies all that is left, anything else exactly as
typed, and nothing that is not a whole number is read as "everything"."""

from __future__ import annotations

from sqlmodel import select

from broker_registry.certificates.models import Certificate, CertificateLine
from tests.conftest import csrf_token


def _post(client, licence_id: int, **quantities):
    url = f"/licences/{licence_id}/certificates/new"
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **quantities})


def test_quantities_that_are_not_whole_numbers_are_refused_by_line(db, login, regulator, licence):
    client = login(regulator)
    for typed in ("1.5", "-3", "²", "ten", "9" * 5000):
        response = _post(client, licence["id"], quantity_1=typed, quantity_2="")
        page = response.get_data(as_text=True)
        assert response.status_code == 422, typed
        assert "Enter a quantity of 0 or more" in page, typed
        assert 'id="quantity_1-error"' in page, typed  # beside the field
        if len(typed) < 10:
            assert f'value="{typed}"' in page, typed  # as it was typed, to correct
    assert db.exec(select(Certificate)).all() == []


def test_every_quantity_zero_is_refused_not_read_as_everything(db, login, regulator, licence):
    response = _post(login(regulator), licence["id"], quantity_1="0", quantity_2="0")
    assert response.status_code == 422
    assert "every quantity is 0" in response.get_data(as_text=True)
    assert db.exec(select(Certificate)).all() == []


def test_a_zero_leaves_its_line_off(db, login, regulator, licence):
    response = _post(login(regulator), licence["id"], quantity_1="5", quantity_2="0")
    assert response.status_code == 302
    certificate = db.exec(select(Certificate)).one()
    lines = db.exec(select(CertificateLine)
                    .where(CertificateLine.certificate_id == certificate.id)).all()
    assert [(line.line_no, line.quantity) for line in lines] == [(1, 5)]


def test_every_quantity_empty_certifies_all_that_is_left(db, login, regulator, licence):
    response = _post(login(regulator), licence["id"], quantity_1="", quantity_2=" ")
    assert response.status_code == 302
    lines = db.exec(select(CertificateLine)).all()
    assert sorted((line.line_no, line.quantity) for line in lines) == [(1, 200), (2, 100000)]


def test_a_refused_revocation_keeps_its_reason_beside_the_error(db, login, regulator,
                                                               certificate):
    client = login(regulator)
    page_url = f"/certificates/{certificate['number']}"
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    reason = "Diverted. " * 450  # over 4,000 characters
    refused = client.post(f"{page_url}/revoke", data={"csrf_token": token, "reason": reason})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="reason-error"' in html and 'href="#reason"' in html
    assert reason.strip()[:50] in html
    assert db.get(Certificate, db.exec(select(Certificate.id)).one()).status == "valid"
    asked = client.post(f"{page_url}/revoke", data={"csrf_token": token, "reason": "Diverted"})
    assert asked.status_code == 200  # the confirmation page first, nothing done yet
    assert "This revokes 1 certificate." in asked.get_data(as_text=True)
    assert db.get(Certificate, db.exec(select(Certificate.id)).one()).status == "valid"
    done = client.post(f"{page_url}/revoke", data={"csrf_token": token, "reason": "Diverted",
                                                    "confirmed": "yes"})
    assert done.status_code == 302


def test_the_revocation_form_gives_the_lists_reason_code(db, login, regulator, certificate):
    from broker_registry.revocations.models import RevocationEntry

    client = login(regulator)
    page_url = f"/certificates/{certificate['number']}"
    page = client.get(page_url).get_data(as_text=True)
    assert '<option value="diversion_suspected">diversion suspected</option>' in page
    token = csrf_token(page)
    bad = client.post(f"{page_url}/revoke", data={"csrf_token": token, "reason": "Diverted",
                                                   "reason_code": "key_compromise"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="reason_code-error"' in html
    assert '<a href="#reason_code">Select the reason code on the revocation list</a>' in html
    assert db.exec(select(RevocationEntry)).all() == []
    asked = client.post(f"{page_url}/revoke", data={"csrf_token": token, "reason": "Diverted",
                                                     "reason_code": "diversion_suspected"})
    html = asked.get_data(as_text=True)  # the confirmation carries the code to "Yes"
    assert '<input type="hidden" name="reason_code" value="diversion_suspected">' in html
    assert "<dd>diversion suspected</dd>" in html
    assert db.exec(select(RevocationEntry)).all() == []
    done = client.post(f"{page_url}/revoke", data={"csrf_token": token, "reason": "Diverted",
                                                    "reason_code": "diversion_suspected",
                                                    "confirmed": "yes"})
    assert done.status_code == 302
    assert [e.reason for e in db.exec(select(RevocationEntry)).all()] == [8]
