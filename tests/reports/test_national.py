"""The yearly national report: page, CSV (UTF-8 with BOM) and PDF say the same thing."""

from __future__ import annotations

import csv
import io
import subprocess

import pytest

from broker_registry.db.columns import utcnow
from tests.records import decide, submit

from .conftest import ship

YEAR = utcnow().year
KP = {"name": "Korea General Trading", "address": "Pyongyang", "country": "KP",
      "kind": "government"}


@pytest.fixture
def year_of_activity(certificate, customs, broker_api, regulators):
    """One licence issued with its certificate, shipped and delivered; one denial."""
    number = certificate["number"]
    ship(customs, number, quantity=120, post="Aflao border post")
    delivered = customs.post(f"/api/v1/certificates/{number}/delivery", json={
        "received_at": utcnow().isoformat(),
        "lines": [{"line": 1, "quantity": 120}]})
    assert delivered.status_code == 201, delivered.get_json()
    denied = submit(broker_api, end_user=KP,
                    consignee={"name": "Consignee KP", "address": "Nampo", "country": "KP"})
    assert decide(regulators[0], denied["id"], "deny",
                  "Full UN arms embargo on the destination.").status_code == 200
    return {"certificate": certificate, "denied": denied["id"]}


def _csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _section(rows, key: str) -> list[list[str]]:
    return [row[1:] for row in rows if row and row[0] == key][2:]  # after title, header


def test_the_report_page_has_every_table(year_of_activity, regulator_page):
    html = regulator_page.get(f"/regulator/reports/{YEAR}").get_data(as_text=True)
    for expected in ("Revolvers and self-loading pistols", "Ammunition", "Ghana",
                     "Korea, Democratic People&#39;s Republic of", "Germany",
                     "Full UN arms embargo on the destination.", "Arms embargo (full)",
                     'id="deliveries_by_destination"', "100,000"):
        assert expected in html, expected
    assert f'<option value="{YEAR}" selected>' in html


def test_the_csv_has_the_category_and_destination_rows(year_of_activity, regulator_page):
    response = regulator_page.get(f"/regulator/reports/{YEAR}.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f"national-report-{YEAR}.csv" in response.headers["Content-Disposition"]
    rows = _csv(response.data)
    assert _section(rows, "licences_by_category") == [
        ["AMMO", "Ammunition", "round", "1", "100000"],
        ["SALW-1", "Revolvers and self-loading pistols", "piece", "1", "200"]]
    assert _section(rows, "certificates_by_category")[1] == [
        "SALW-1", "Revolvers and self-loading pistols", "piece", "1", "200", "120"]
    assert _section(rows, "licences_by_destination") == [["GH", "Ghana", "1"],
                                                         ["Total", "", "1"]]
    assert _section(rows, "deliveries_by_destination")[0] == ["GH", "Ghana", "1"]
    assert _section(rows, "brokers_registered")[0] == ["DE", "Germany", "1"]
    [denial] = _section(rows, "denials")
    assert denial == [utcnow().date().isoformat(), f"LA-{year_of_activity['denied']:06d}",
                      "Korea, Democratic People's Republic of",
                      "Full UN arms embargo on the destination."]
    assert _section(rows, "denial_findings") == [["embargo_full", "Arms embargo (full)", "1"]]


def test_the_csv_in_chinese_opens_in_excel(year_of_activity, regulator_page):
    rows = _csv(regulator_page.get(f"/regulator/reports/{YEAR}.csv?lang=zh").data)
    assert _section(rows, "licences_by_category")[1][:2] == ["SALW-1", "左轮手枪和自动装填手枪"]
    assert _section(rows, "licences_by_destination")[0][1] == "加纳"


def test_the_pdf_has_the_category_and_destination_rows(year_of_activity, regulator_page,
                                                       tmp_path):
    response = regulator_page.get(f"/regulator/reports/{YEAR}.pdf?lang=zh")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["/usr/bin/pdftotext", "-layout", str(path), "-"],
                          capture_output=True, check=True, text=True).stdout
    for expected in ("SALW-1", "左轮手枪和自动装填手枪", "AMMO", "100,000", "加纳", "GH",
                     "Full UN arms embargo"):
        assert expected in text, expected


def test_a_year_without_activity_is_an_empty_report(regulator_page):
    html = regulator_page.get("/regulator/reports/2001").get_data(as_text=True)
    assert "None in this year." in html
    assert regulator_page.get("/regulator/reports/2001.pdf").status_code == 200
    assert _section(_csv(regulator_page.get("/regulator/reports/2001.csv").data),
                    "licences_by_category") == []


@pytest.mark.parametrize("path", ["/regulator/reports/0", "/regulator/reports/99999",
                                  "/regulator/reports/2000.csv",
                                  f"/regulator/reports/{YEAR + 1}.pdf",
                                  "/regulator/reports/abc"])
def test_a_bad_year_is_not_found(regulator_page, path):
    response = regulator_page.get(path)
    assert response.status_code == 404
    if path.endswith(("/0", "/99999")):
        assert "choose a year from 2001 to" in response.get_data(as_text=True)


def test_the_year_picker(regulator_page):
    page = regulator_page.get("/regulator/reports").get_data(as_text=True)
    assert f'<option value="{YEAR}"' in page
    picked = regulator_page.get(f"/regulator/reports?year={YEAR}")
    assert picked.status_code == 302
    assert picked.headers["Location"].endswith(f"/regulator/reports/{YEAR}")


@pytest.mark.parametrize("suffix", ["", ".csv", ".pdf"])
def test_only_regulators_and_admins_get_the_report(suffix, client, login, make_account):
    url = f"/regulator/reports/{YEAR}{suffix}"
    assert "/login" in client.get(url).headers["Location"]
    assert login(make_account("customs")).get(url).status_code == 403
    assert login(make_account("broker")).get(url).status_code == 403
    assert login(make_account("admin")).get(url).status_code == 200


@pytest.mark.parametrize("asked", ["abc", "99999", "1e3", "2000", str(YEAR + 1), "-2020",
                                   "２０２０", "0x7e4", "9" * 40])
def test_a_bad_year_in_the_picker_says_which_years_exist(regulator_page, asked):
    response = regulator_page.get("/regulator/reports", query_string={"year": asked})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert f"choose a year from 2001 to {YEAR}." in page
    shown = asked if len(asked) <= 12 else asked[:11] + "…"
    assert f"There is no national report for {shown}:" in page
    assert 'role="alert"' in page and '<select id="year"' in page  # and the years to choose
