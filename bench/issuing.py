"""Issuing: sign, render the QR code and the PDF of one certificate; then the cached QR of an
issued certificate served against /healthz (from the load run)."""

from __future__ import annotations

import json
import time

from .common import ratio
from .load import Request

GOAL = 1.5


def run(dataset) -> dict:
    """Issue one certificate through the API and fetch its QR and PDF the first time."""
    api = dataset.app.test_client()
    headers = {"Authorization": f"Bearer {dataset.tokens['regulator1']}",
               "Content-Type": "application/json"}
    timings = {}
    start = time.perf_counter()
    answer = api.post(f"/api/v1/licences/{dataset.licence_id}/certificates", headers=headers,
                      data=json.dumps({"lines": [{"line": 1, "quantity": 1}]}))
    timings["issue_ms"] = (time.perf_counter() - start) * 1000
    assert answer.status_code == 201, answer.data[:300]
    number = answer.json["number"]
    for kind in ("qr.svg", "qr.png", "certificate.pdf"):
        for attempt in ("first", "cached"):
            start = time.perf_counter()
            answer = api.get(f"/api/v1/certificates/{number}/{kind}", headers=headers)
            timings[f"{kind} {attempt}_ms"] = (time.perf_counter() - start) * 1000
            assert answer.status_code == 200, answer.data[:300]
    return {name: round(ms, 1) for name, ms in timings.items()}


def cached_qr_request(dataset) -> Request:
    return Request(f"/api/v1/certificates/{dataset.numbers[0]}/qr.svg",
                   headers={"Authorization": f"Bearer {dataset.tokens['regulator1']}"})


def warm(dataset) -> None:
    request = cached_qr_request(dataset)
    answer = dataset.app.test_client().get(request.path, headers=request.headers)
    assert answer.status_code == 200


def cached(load_result: dict) -> dict:
    h, qr = load_result["healthz"], load_result["cached_qr"]
    slowdown = ratio(h["rps"], qr["rps"])
    return {"healthz_rps": h["rps"], "cached_qr_rps": qr["rps"], "slowdown": slowdown,
            "goal": GOAL, "met": slowdown <= GOAL}


def rows(result: dict, load: dict | None) -> list[tuple[str, str, str]]:
    out = [("issue one certificate (sign, store, audit)", f"{result['issue_ms']:.0f} ms", ""),
           ("render QR svg / png / PDF, first time",
            f"{result['qr.svg first_ms']:.0f} / {result['qr.png first_ms']:.0f} / "
            f"{result['certificate.pdf first_ms']:.0f} ms", "")]
    for backend, c in (load or {}).items():
        out.append((f"cached QR svg vs healthz ({backend})",
                    f"{c['cached_qr_rps']:.0f} vs {c['healthz_rps']:.0f} rps = "
                    f"{c['slowdown']:.2f}× slower", f"≤ {GOAL}×"))
    return out
