"""Renderings held in worker memory: served without a query, never past who may read them."""

from __future__ import annotations

from broker_registry.certificates.rendering import HeldRenderings


def test_a_held_rendering_still_answers_only_its_readers(app, certificate, broker_api, api_as,
                                                          register_broker):
    path = f"/api/v1/certificates/{certificate['number']}/qr.svg"
    first = broker_api.get(path)  # rendered, stored, then held by the next request
    again = broker_api.get(path)
    assert first.status_code == again.status_code == 200 and again.data == first.data
    assert (certificate["number"], "svg") in app.extensions["renderings"]._held
    other_owner, _ = register_broker()
    stranger = api_as(other_owner).get(path)
    assert stranger.status_code == 404 and stranger.data != first.data
    assert api_as("customs").get(path).status_code == 403


def test_the_least_recently_used_rendering_leaves_first_within_the_budget(db, certificate,
                                                                          broker_api):
    number = certificate["number"]
    for kind in ("qr.png", "qr.svg"):
        assert broker_api.get(f"/api/v1/certificates/{number}/{kind}").status_code == 200
    png = HeldRenderings().get(db, number, "png").body
    svg = HeldRenderings().get(db, number, "svg").body
    held = HeldRenderings(budget=len(png) + len(svg) - 1)  # room for one, not both
    assert held.get(db, number, "png").body == png
    assert held.get(db, number, "svg").body == svg
    assert list(held._held) == [(number, "svg")] and held.size == len(svg)
    assert held.get(db, number, "png").body == png
    assert list(held._held) == [(number, "png")] and held.size == len(png)
    assert held.get(db, "EUC-XX-2026-999999", "png") is None
    assert held.get(db, number, "pdf").body is None  # known, not rendered yet: not held
    assert (number, "pdf") not in held._held
