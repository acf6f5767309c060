"""Fixtures for the reports: an issued licence and certificate, customs, a signed-in regulator."""

from __future__ import annotations

import re
import subprocess
from xml.etree import ElementTree

import pytest

SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def ship(api, number: str, quantity: int = 5, post: str = "Aflao border post"):
    response = api.post(f"/api/v1/certificates/{number}/shipments",
                        json={"border_post": post, "lines": [{"line": 1, "quantity": quantity}]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def svgs(html: str) -> list[ElementTree.Element]:
    """Every inline chart, parsed as XML: a chart that is not well-formed fails here."""
    charts = [ElementTree.fromstring(match) for match in SVG.findall(html)]  # noqa: S314
    return [chart for chart in charts if "chart-narrow" not in chart.get("class", "")]


@pytest.fixture
def regulator_page(regulators, login):
    """The test client signed in, through the login page, as the first regulator."""
    return login(regulators[0].account)


def pdf_text(body: bytes, folder) -> str:
    """The PDF's text in drawing order, as pdftotext reads it: a PDF that does not parse fails."""
    assert body.startswith(b"%PDF")
    path = folder / "report.pdf"
    path.write_bytes(body)
    return subprocess.run(["/usr/bin/pdftotext", "-raw", str(path), "-"],
                          capture_output=True, check=True, text=True).stdout
