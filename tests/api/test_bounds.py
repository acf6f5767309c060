"""Numbers beyond what the database holds are a 404 or a 422, never an overflow (a 500).

Found by fuzzing: `/api/v1/brokers/18446744073709551616` overflowed SQLite's INTEGER and
PostgreSQL's int4, and so did a cursor naming an id past 2**31.
"""

from __future__ import annotations

import base64

import pytest

BIG = (2**31, 2**40, 2**64)


def _int_routes(app):
    for rule in app.url_map.iter_rules():
        kinds = {type(c).__name__ for c in rule._converters.values()}
        if "IntegerConverter" in kinds or "IdConverter" in kinds:
            yield rule


@pytest.mark.parametrize("number", BIG)
def test_ids_past_32_bits_are_not_found(app, api_as, login, make_account, number):
    regulator = make_account("regulator")
    api = api_as(regulator)
    pages = login(regulator)
    for rule in _int_routes(app):
        values = {}
        for name, converter in rule._converters.items():
            kind = type(converter).__name__
            values[name] = sorted(converter.items)[0] if kind == "AnyConverter" else 1234567
        path = rule.build(values, append_unknown=False)[1].replace("1234567", str(number))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            client, headers = (api.client, api.headers) if path.startswith("/api/") else \
                (pages, {})
            response = client.open(path, method=method, headers=headers, json={})
            assert response.status_code in (400, 404, 405), (method, path, response.status_code)


def test_a_cursor_past_32_bits_is_refused(api_as):
    api = api_as("regulator")
    cursor = base64.urlsafe_b64encode(str(2**40).encode()).decode().rstrip("=")
    for path in ("/api/v1/brokers", "/api/v1/licences", "/api/v1/public/brokers"):
        response = api.get(f"{path}?cursor={cursor}")
        assert response.status_code == 422, path
        assert response.get_json()["errors"][0]["field"] == "cursor"
