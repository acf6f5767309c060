"""The SVG QR code, drawn by a real browser, decodes back to the certificate's text."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from certs import qr
from tests.certs.factories import issue, make_authority

pytestmark = pytest.mark.browser


def test_the_svg_drawn_by_chromium_decodes_to_the_payload(page):
    text = issue(make_authority())
    svg = qr.render_svg(text, box_size=6)
    page.set_content(f'<body style="margin:0;background:#fff">{svg.decode()}</body>')
    shot = page.locator("svg").screenshot()
    with Image.open(io.BytesIO(shot)) as image:
        found = zxingcpp.read_barcodes(image.convert("L"),
                                       formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in found if r.valid] == [text]
