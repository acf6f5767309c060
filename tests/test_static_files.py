"""Scripts and style sheets under versioned URLs, kept by the browser for a year; a file that
changes gets a new URL."""

import re


def test_pages_link_versioned_files_that_are_cached_for_a_year(login, make_account, app):
    pages = login(make_account("customs"))
    html = pages.get("/customs/verify").get_data(as_text=True)
    links = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert {re.sub(r"\?.*", "", link) for link in links} >= {
        "/static/app.css", "/static/vendor/jsQR.js", "/static/customs.js"}
    for link in links:
        assert re.search(r"\?v=[0-9a-f]{16}$", link), link
        response = pages.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert "max-age=31536000" in response.headers["Cache-Control"], link
        response.close()
    unversioned = pages.get("/static/app.css")
    assert "max-age=31536000" not in unversioned.headers.get("Cache-Control", "")
    unversioned.close()


def test_a_changed_file_gets_a_new_version(tmp_path):
    from broker_registry.static_files import _version

    (tmp_path / "app.css").write_text("body { color: black; }")
    before = _version(tmp_path, "app.css")
    (tmp_path / "app.css").write_text("body { color: navy; }")
    assert _version(tmp_path, "app.css") != before
    assert _version(tmp_path, "no-such-file.css") is None
