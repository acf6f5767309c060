"""Scripts and style sheets under versioned URLs, kept by the browser for a year; a file that
changes gets a new URL."""

import re


def test_pages_link_versioned_files_that_are_cached_for_a_year(login, make_account, keys):
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
    for other in ("/static/app.css", "/static/app.css?v=0000000000000000"):
        response = pages.get(other)  # no version, or one this server does not hold
        assert response.status_code == 200
        assert "max-age=31536000" not in response.headers.get("Cache-Control", ""), other
        response.close()


def test_a_changed_file_gets_a_new_version(tmp_path):
    from broker_registry.web.static_files import file_version

    (tmp_path / "app.css").write_text("body { color: black; }")
    before = file_version(tmp_path, "app.css")
    (tmp_path / "app.css").write_text("body { color: navy; }")
    assert file_version(tmp_path, "app.css") != before
    assert file_version(tmp_path, "no-such-file.css") is None


def test_a_version_is_read_only_of_a_file_inside_the_folder(tmp_path):
    from broker_registry.web.static_files import file_version

    (tmp_path / "static").mkdir()
    (tmp_path / "secret.txt").write_text("not static")
    assert file_version(tmp_path / "static", "../secret.txt") is None
    assert file_version(tmp_path / "static", "/etc/passwd") is None
    assert file_version(tmp_path / "static", "../../../../dev/zero") is None
    assert file_version(tmp_path, "static") is None  # a folder


def test_a_request_outside_the_folder_is_refused_quickly(client):
    for path in ("/static/..%2F..%2F..%2Fdev%2Fzero?v=1", "/static/%2E%2E/secret?v=1"):
        response = client.get(path)
        assert response.status_code == 404, path
