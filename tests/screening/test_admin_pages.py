"""The admin's pages and the command line for the screening lists."""

from __future__ import annotations

import io
from importlib import resources

from sqlmodel import func, select

from broker_registry.screening.models import DeniedParty, EmbargoEntry
from tests.conftest import csrf_token

SAMPLE = resources.files("broker_registry.screening").joinpath("data/un_sample.xml")


def count(db) -> int:
    return db.exec(select(func.count()).select_from(DeniedParty)).one()


def test_upload_the_un_list(db, login, make_account):
    client = login(make_account("admin"))
    token = csrf_token(client.get("/admin/denied-parties").get_data(as_text=True))
    bad = client.post("/admin/denied-parties", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(b"<html>oops</html>"), "list.xml")})
    assert bad.status_code == 422
    assert "not a usable UN Consolidated List" in bad.get_data(as_text=True)
    assert count(db) == 0
    odd = client.post("/admin/denied-parties", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(b'<?xml version="1.0" encoding="klingon"?>'
                                                 b"<CONSOLIDATED_LIST/>"), "list.xml")})
    assert odd.status_code == 422
    assert "cannot read the encoding" in odd.get_data(as_text=True)
    assert count(db) == 0
    empty = client.post("/admin/denied-parties", data={"csrf_token": token})
    assert empty.status_code == 422 and "Choose a UN" in empty.get_data(as_text=True)
    good = client.post("/admin/denied-parties", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(SAMPLE.read_bytes()), "un.xml")})
    assert good.status_code == 302 and count(db) == 10
    page = client.get("/admin/denied-parties?source=un").get_data(as_text=True)
    assert "VIKTOR PETROVICH ORLOV" in page and "Виктор Орлов" in page


def test_embargo_page(db, login, make_account):
    client = login(make_account("admin"))
    page = client.get("/admin/embargoes").get_data(as_text=True)
    assert "S/RES/1718 (2006)" in page
    token = csrf_token(page)
    bad = client.post("/admin/embargoes", data={"csrf_token": token, "country": "ZZ",
                                                "scope": "total", "resolution": "1718",
                                                "since": "yesterday"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    for field in ("country", "scope", "resolution", "since"):
        assert f'id="{field}-error"' in html
    added = client.post("/admin/embargoes", data={
        "csrf_token": token, "country": "GH", "scope": "full",
        "resolution": "S/RES/9999 (2030)", "since": "2030-01-01", "notes": ""})
    assert added.status_code == 302 and db.get(EmbargoEntry, "GH").scope == "full"
    no_reason = client.post("/admin/embargoes/GH/remove", data={"csrf_token": token})
    assert no_reason.status_code == 422 and db.get(EmbargoEntry, "GH") is not None
    removed = client.post("/admin/embargoes/GH/remove",
                          data={"csrf_token": token, "reason": "Lifted."})
    assert removed.status_code == 302
    db.expire_all()
    assert db.get(EmbargoEntry, "GH") is None


def test_only_admins_manage_lists(login, make_account):
    client = login(make_account("regulator"))
    assert client.get("/admin/embargoes").status_code == 403
    assert client.get("/admin/denied-parties").status_code == 403


def test_cli_import(app, db, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.xml"
    bad.write_text("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL/></INDIVIDUALS>"
                   "</CONSOLIDATED_LIST>")
    result = runner.invoke(args=["screening", "import-un-list", str(bad)])
    assert result.exit_code == 1 and "REFERENCE_NUMBER" in result.output
    assert count(db) == 0
    result = runner.invoke(args=["screening", "import-un-list", str(SAMPLE)])
    assert result.exit_code == 0 and "imported 10 listed parties" in result.output
    assert count(db) == 10


def test_a_bad_un_list_is_explained_in_the_admins_language(db, login, make_account):
    client = login(make_account("admin"))
    zh = {"Accept-Language": "zh-CN"}
    token = csrf_token(client.get("/admin/denied-parties", headers=zh).get_data(as_text=True))
    bad = client.post("/admin/denied-parties", headers=zh, content_type="multipart/form-data",
                      data={"csrf_token": token, "file": (io.BytesIO(
                          b"<SANCTIONS><INDIVIDUALS/></SANCTIONS>"), "list.xml")})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert ("不是可用的联合国综合名单：根元素是 &lt;SANCTIONS&gt;，"
            "应为 &lt;CONSOLIDATED_LIST&gt;") in page
    assert "root element is" not in page
    assert count(db) == 0
