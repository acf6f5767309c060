"""Concurrent shipments: 16 clients drawing on one certificate, then on 16 different ones,
through gunicorn on PostgreSQL; draws per second, and whether the totals are exact."""

from __future__ import annotations

import json
import threading
import time
import uuid

import sqlalchemy as sa

from broker_registry import db
from broker_registry.certificates.models import Certificate, CertificateLine

from .common import http_client
from .load import Server

CLIENTS = 16
LINE = 2  # drawn one unit at a time


def _shipped(dataset, numbers: list[str]) -> int:
    with dataset.app.app_context():
        return db.session().execute(
            sa.select(sa.func.coalesce(sa.func.sum(CertificateLine.shipped), 0))
            .join(Certificate, Certificate.id == CertificateLine.certificate_id)
            .where(Certificate.number.in_(numbers), CertificateLine.line_no == LINE)).scalar()


def _draw(base: str, token: str, numbers: list[str], draws: int) -> dict:
    created, failed = [0] * CLIENTS, [0] * CLIENTS

    def client(k: int) -> None:
        number = numbers[k % len(numbers)]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        body = json.dumps({"border_post": "Bench crossing", "lines": [{"line": LINE,
                                                                       "quantity": 1}]})
        with http_client(base, timeout=30) as http:
            for _ in range(draws):
                answer = http.post(f"/api/v1/certificates/{number}/shipments", content=body,
                                   headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
                if answer.status_code == 201:
                    created[k] += 1
                else:
                    failed[k] += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return {"draws": sum(created), "failed": sum(failed), "seconds": round(seconds, 2),
            "draws_per_s": round(sum(created) / seconds, 1)}


def run(dataset, scale: dict) -> dict:
    """dataset must hold at least 17 signed certificates."""
    draws = {"tiny": 2, "small": 8, "full": 20}[scale["name"]]
    token = dataset.tokens["customs"]
    out = {"clients": CLIENTS, "draws_per_client": draws}
    with Server(dataset) as server:
        for label, numbers in (("same certificate", dataset.numbers[:1]),
                               ("16 certificates", dataset.numbers[1:1 + CLIENTS])):
            before = _shipped(dataset, numbers)
            result = _draw(server.base, token, numbers, draws)
            shipped = _shipped(dataset, numbers) - before
            result["exact"] = shipped == result["draws"] == CLIENTS * draws
            result["shipped_in_database"] = shipped
            out[label] = result
    out["met"] = all(out[k]["exact"] for k in ("same certificate", "16 certificates"))
    return out


def rows(result: dict, backend: str) -> list[tuple[str, str, str]]:
    return [(f"shipments, {CLIENTS} clients on {label} ({backend})",
             f"{r['draws_per_s']:.0f} draws/s, totals {'exact' if r['exact'] else 'WRONG'}",
             "exact totals")
            for label, r in ((k, result[k]) for k in ("same certificate", "16 certificates"))]
