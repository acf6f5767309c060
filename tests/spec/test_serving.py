"""The specification and its vectors served as they are in the repository, and the CORS grant of
the public resources a verifier on another origin needs: those and nothing else."""

from __future__ import annotations

import json

import pytest

from broker_registry.web.auth import public
from broker_registry.web.cors import cross_origin

from . import vectors as published

SPEC = published.FOLDER.parent
ORIGIN = "https://customs.other-state.example"
# endpoint -> an URL of it: every view readable from another origin, and only these
CROSS_ORIGIN = {
    "keys_api.trust_list": "/api/v1/trust-list",
    "revocations_api.revocations": "/api/v1/revocations",
    "certificates_api.schema": "/api/v1/schemas/euc-v1.json",
    "spec.document": "/api/v1/spec/euc-qr.md",
    "spec.vectors": "/api/v1/spec/vectors",
    "spec.vector_file": "/api/v1/spec/vectors/root.der",
    "federation_api.metadata": "/.well-known/euc1-federation",
    "federation_api.partners": "/api/v1/federation/partners",
}


@pytest.mark.parametrize(("url", "path", "media"), [
    ("/api/v1/spec/euc-qr.md", SPEC / "euc-qr.md", "text/markdown; charset=utf-8"),
    ("/api/v1/spec/api.md", SPEC / "api.md", "text/markdown; charset=utf-8"),
    ("/api/v1/spec/federation.md", SPEC / "federation.md", "text/markdown; charset=utf-8"),
    ("/api/v1/spec/vectors", published.FOLDER / "index.json", "application/json"),
    ("/api/v1/spec/vectors/root.der", published.FOLDER / "root.der", "application/pkix-cert"),
    ("/api/v1/spec/vectors/lists/full-3.cose", published.FOLDER / "lists" / "full-3.cose",
     "application/cose"),
    ("/api/v1/spec/vectors/trust-list.json", published.FOLDER / "trust-list.json",
     "application/json"),
])
def test_the_spec_and_its_vectors_are_served_as_committed(anonymous, url, path, media):
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media
    assert response.data == path.read_bytes()
    assert "public" in response.headers["Cache-Control"]
    again = anonymous.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_every_file_the_index_names_is_served(anonymous):
    index = anonymous.get("/api/v1/spec/vectors").get_json()
    names = [index["root"], *index["trust_lists"].values(), *index["revocation_lists"].values(),
             *(case["list"] for case in index["list_vectors"])]
    for name in names:
        assert anonymous.get(f"/api/v1/spec/vectors/{name}").status_code == 200, name


@pytest.mark.parametrize("name", ["../euc-qr.md", "../../README.md", "..%2f..%2fREADME.md",
                                  "lists", "nothing.json", "index.jsonx", "etc/passwd"])
def test_nothing_outside_the_vectors_is_served(anonymous, name):
    response = anonymous.get(f"/api/v1/spec/vectors/{name}")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("endpoint", sorted(CROSS_ORIGIN))
def test_the_public_resources_are_readable_from_any_origin(app, anonymous, keys, endpoint):
    url = CROSS_ORIGIN[endpoint]
    response = anonymous.get(url, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Expose-Headers"] == "ETag, Date"
    assert "ETag" in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = anonymous.options(url, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code == 200
    assert (preflight.headers["Access-Control-Allow-Origin"],
            preflight.headers["Access-Control-Allow-Methods"],
            preflight.headers["Access-Control-Allow-Headers"],
            preflight.headers["Access-Control-Max-Age"]) == ("*", "GET", "If-None-Match",
                                                             "86400")


def test_a_refusal_of_a_public_resource_is_readable_too(anonymous, keys):
    response = anonymous.get("/api/v1/revocations?since=x", headers={"Origin": ORIGIN})
    assert response.status_code == 422
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.data)["errors"][0]["field"] == "since"


def test_only_the_listed_public_views_are_cross_origin(app):
    marked = {endpoint for endpoint, view in app.view_functions.items()
              if getattr(view, "cross_origin", False)}
    assert marked == set(CROSS_ORIGIN)
    for endpoint in marked:
        assert app.view_functions[endpoint].required_permission is None, endpoint
    assert cross_origin(public(lambda: None)).cross_origin is True


def test_nothing_that_needs_a_login_carries_a_cors_header(app, api_as, keys):
    """Every route, as a signed-in regulator and by a preflight: no Access-Control-* header
    on any route outside the table, whatever its answer."""
    regulator = api_as("regulator")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in CROSS_ORIGIN or rule.endpoint == "static":
            continue
        url = _example(rule)
        for method in sorted(rule.methods - {"HEAD"}):
            headers = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                       "Access-Control-Request-Headers": "authorization, content-type"}
            response = regulator.open(url, method=method, headers=headers,
                                      json={} if method not in ("GET", "OPTIONS") else None)
            granted = [h for h, _ in response.headers if h.startswith("Access-Control-")]
            if granted:
                found.append(f"{method} {url}: {granted}")
    assert found == []


def _example(rule) -> str:
    from werkzeug.routing import AnyConverter, IntegerConverter

    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "EUC-XX-2000-000001"
    return rule.build(values, append_unknown=False)[1]
