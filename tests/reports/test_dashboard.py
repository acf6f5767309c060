"""The regulator's dashboard: queues, decisions per month, shipments per post, overdue."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from broker_registry.certificates.models import Certificate
from broker_registry.db.columns import utcnow
from broker_registry.permissions import Role
from tests.records import submit

from .conftest import ship, svgs

SVG_NS = "{http://www.w3.org/2000/svg}"


def _row(html: str, label: str) -> list[str]:
    """The cells of the table row headed `label`, tags stripped."""
    head = r"<tr><th scope=\"row\">(?:<a [^>]*>)?" + re.escape(label) + r"(?:</a>)?</th>"
    match = re.search(head + r"(.*?)</tr>", html, re.S)
    assert match, f"no row {label!r}"
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", match[1], re.S)]


def _this_month() -> str:
    return f"{utcnow():%b} {utcnow().year}"  # the English skeleton yMMM: "Nov 2026"


def test_the_dashboard_counts_what_happened(certificate, customs, regulator_page):
    ship(customs, certificate["number"], post="Aflao border post")
    html = regulator_page.get("/regulator/dashboard").get_data(as_text=True)
    assert _row(html, _this_month())[:4] == ["1", "0", "0", "0"]  # licences: issued first
    certificates_row = re.findall(r"<tr><th scope=\"row\">" + _this_month()
                                  + r"</th><td class=\"number\">(\d+)</td></tr>", html)
    assert certificates_row == ["1"]
    assert _row(html, "Aflao border post") == ["1"]
    assert 'class="overdue-count">0<' in html


def test_an_overdue_delivery_shows(certificate, customs, regulator_page, db):
    number = certificate["number"]
    ship(customs, number)
    db.execute(sa.update(Certificate).where(Certificate.number == number)
               .values(last_shipment_at=utcnow() - timedelta(days=91)))
    db.commit()
    html = regulator_page.get("/regulator/dashboard").get_data(as_text=True)
    assert 'class="overdue-count overdue">1<' in html
    assert f">{number}</a>" in html and "Ghana" in html
    # one certificate, in the singular
    assert _headline(html) == ("1 certificate needs a delivery verification and has had none "
                               "more than 90 days after its last shipment.")
    assert '<strong class="overdue-count overdue">1</strong> certificate needs' in html


def test_the_queues_count_waiting_applications_and_their_age(broker_api, register_broker, db,
                                                              regulator_page):
    from broker_registry.licences.models import Licence

    submitted = submit(broker_api)
    db.execute(sa.update(Licence).where(Licence.id == submitted["id"])
               .values(submitted_at=utcnow() - timedelta(days=10)))
    register_broker(status="submitted")
    db.commit()
    html = regulator_page.get("/regulator/dashboard").get_data(as_text=True)
    to_decide = _row(html, "Licence applications to decide")
    assert to_decide[0] == "1" and "10 days" in to_decide[1]
    assert _row(html, "Registration applications")[0] == "1"
    assert _row(html, "Licences awaiting countersignature") == ["0", "—"]


def _wait(broker_api, db, waited: timedelta) -> None:
    from broker_registry.licences.models import Licence

    submitted = submit(broker_api)
    db.execute(sa.update(Licence).where(Licence.id == submitted["id"])
               .values(submitted_at=utcnow() - waited))
    db.commit()


@pytest.mark.parametrize(("waited", "lang", "shown"), [
    (timedelta(minutes=5), "en", "less than an hour"),
    (timedelta(hours=5, minutes=50), "en", "5 hours"),
    (timedelta(hours=5, minutes=50), "zh", "5小时"),
    (timedelta(days=1, hours=23), "en", "1 day"),
    (timedelta(days=1, hours=23), "zh", "1天"),
])
def test_the_age_of_the_oldest_is_never_rounded_up(broker_api, db, regulator_page, waited,
                                                    lang, shown):
    _wait(broker_api, db, waited)
    html = regulator_page.get(f"/regulator/dashboard?lang={lang}").get_data(as_text=True)
    # the one application waiting is the only queue with an age
    assert re.findall(r'<span class="age">\((.*?)\)</span>', html) == [shown]


def _headline(html: str) -> str:
    paragraph = re.search(r'<p class="headline">(.*?)</p>', html, re.S)[1]
    return " ".join(re.sub(r"<[^>]+>", "", paragraph).split())




def test_no_overdue_certificate_and_a_one_day_limit(app, regulator_page):
    app.config["SETTINGS"] = replace(app.config["SETTINGS"], delivery_overdue_days=1)
    html = regulator_page.get("/regulator/dashboard").get_data(as_text=True)
    assert _headline(html) == ("0 certificates need a delivery verification and have had none "
                               "more than 1 day after their last shipment.")
    chinese = regulator_page.get("/regulator/dashboard?lang=zh").get_data(as_text=True)
    assert "1天" in _headline(chinese)


def test_the_charts_are_well_formed_svg_with_their_numbers(certificate, customs,
                                                           regulator_page):
    ship(customs, certificate["number"], post="Elubo border post")
    charts = svgs(regulator_page.get("/regulator/dashboard").get_data(as_text=True))
    assert len(charts) == 3
    for chart in charts:
        title = chart.find(f"{SVG_NS}title")
        assert title is not None and title.text
        assert chart.get("aria-labelledby").split()[0] == title.get("id")
    licences, certificates, shipments = charts
    texts = [t.text for t in shipments.iter(f"{SVG_NS}text")]
    assert "Elubo border post" in texts and "1" in texts
    bars = [r.find(f"{SVG_NS}title").text for r in licences.iter(f"{SVG_NS}rect")
            if r.find(f"{SVG_NS}title") is not None]
    assert f"{_this_month()}, Issued: 1" in bars


def test_the_dashboard_in_chinese(certificate, regulator_page):
    html = regulator_page.get("/regulator/dashboard?lang=zh").get_data(as_text=True)
    assert f"{utcnow().year}年{utcnow().month}月" in html
    assert len(svgs(html)) == 3


def test_only_regulators_and_admins_see_it(api_as, login, client, make_account):
    assert client.get("/regulator/dashboard").status_code == 302
    assert "/login" in client.get("/regulator/dashboard").headers["Location"]
    for role, status in ((Role.BROKER, 403), (Role.CUSTOMS, 403), (Role.ADMIN, 200)):
        page = login(make_account(role))
        assert page.get("/regulator/dashboard").status_code == status, role


def test_every_link_on_the_dashboard_opens_for_whoever_sees_it(app, make_account):
    from tests.licences.test_pages import sign_in

    for role in ("regulator", "admin"):
        pages = sign_in(app, make_account(role))
        html = pages.get("/regulator/dashboard").get_data(as_text=True)
        main = re.search(r"<main.*?</main>", html, re.S)[0]
        links = set(re.findall(r'href="(/[^"#]*)"', main))
        assert links, role
        for link in links:
            response = pages.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, (role, link, response.status_code)
