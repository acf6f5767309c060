import copy
import io
import os
import re
import xml.etree.ElementTree as ET

import cbor2
import pytest
import zxingcpp
from PIL import Image

from certs import cose, pki, qr
from certs.content import to_cbor_obj
from certs.errors import PayloadTooLarge, QrEncodingError
from certs.qrtext import encode_qr_text
from tests.certs.factories import NOW, REALISTIC_CONTENT, issue

# Spec section 1: with plain short text keys this certificate needs version 27.
_SHORT_KEYS = {
    "schema": "v", "number": "n", "licence_number": "l", "authority": "a", "broker": "b",
    "supplier": "s", "consignees": "c", "end_user": "e", "destination": "d", "transit": "t",
    "goods": "g", "end_use": "u", "no_reexport": "x", "dvc_required": "r", "name": "n",
    "country": "c", "registration_number": "r", "address": "a", "kind": "k", "line": "l",
    "description": "d", "category": "c", "quantity": "q", "unit": "u", "value": "v",
    "currency": "y",
}


def _short_keys(obj):
    if isinstance(obj, dict):
        return {_SHORT_KEYS[key]: _short_keys(value) for key, value in obj.items()}
    if isinstance(obj, list):
        return [_short_keys(value) for value in obj]
    return obj


def _text_with_content(authority, euc):
    claims = {1: "XX-NCA", 6: NOW, 5: NOW, 4: NOW + 1, 7: os.urandom(16), -70001: euc}
    signed = cose.sign1(cbor2.dumps(claims), kid=pki.kid(authority.dsc), key=authority.dsc_key)
    return encode_qr_text(signed)


def test_a_realistic_certificate_needs_a_smaller_version_than_plain_encodings(authority):
    # Each text carries a fresh signature and identifier, which zlib cannot shrink by the
    # same amount twice: lengths move by about 20 characters between runs, so a version
    # near a boundary moves by one. The gaps between the encodings are far wider than that.
    texts = {
        name: _text_with_content(authority, euc)
        for name, euc in [
            ("naive", REALISTIC_CONTENT),
            ("short keys", _short_keys(REALISTIC_CONTENT)),
            ("compact", to_cbor_obj(copy.deepcopy(REALISTIC_CONTENT))),
        ]
    }
    versions = {name: qr.qr_version(text) for name, text in texts.items()}
    print(f"QR versions at level Q: {versions}")
    assert 26 <= versions["short keys"] <= 28
    assert versions["compact"] <= versions["short keys"] < versions["naive"]
    assert len(texts["compact"]) + 30 < len(texts["short keys"]) < len(texts["naive"]) - 100
    assert abs(len(issue(authority)) - len(texts["compact"])) <= 30


def test_fifty_goods_lines_are_refused_with_a_clear_message(authority, content):
    content["goods"] = [
        {"line": n, "description": f"Spare barrel assembly type {n * 7919 % 1000}, calibre 7.62",
         "category": "PARTS", "quantity": 10 + n * 13, "unit": "pcs",
         "value": f"{n * 1117}.{n % 100:02d}", "currency": "EUR"}
        for n in range(1, 51)
    ]
    with pytest.raises(PayloadTooLarge, match="split the certificate.*shorten its free text"):
        issue(authority, content)


@pytest.mark.parametrize("length", [2419, 2500, 4296, 9000])
def test_text_beyond_version_40_is_refused_as_too_large(length):
    # qrcode 8.2 answers these with ValueError("Invalid version (was 41, ...)"), not
    # DataOverflowError: the refusal must still be the one that says what to do.
    text = "EUC1:" + "A" * length
    assert qr.qr_version(text) == 41
    with pytest.raises(PayloadTooLarge, match="more than 40.*split the certificate"):
        qr.check_fits(text)


def test_the_png_decodes_to_the_exact_text_at_level_q_in_alphanumeric_mode(genuine):
    image = Image.open(io.BytesIO(qr.render_png(genuine)))
    (barcode,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert barcode.text == genuine
    assert barcode.ec_level == "Q"
    assert barcode.symbology_identifier == "]Q1"
    assert int(barcode.extra["Version"]) == qr.qr_version(genuine) <= qr.MAX_VERSION


def test_the_symbol_is_one_alphanumeric_segment_with_a_four_module_quiet_zone(genuine):
    symbol = qr._qr(genuine)
    assert [chunk.mode for chunk in symbol.data_list] == [qr.MODE_ALPHA_NUM]
    assert symbol.border == 4


def test_the_svg_is_well_formed_and_one_path(genuine):  # decoded in tests/browser
    svg = qr.render_svg(genuine)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert [child.tag.rsplit("}", 1)[1] for child in root] == ["rect", "path"]


def test_the_svg_path_draws_exactly_the_dark_modules(genuine):
    root = ET.fromstring(qr.render_svg(genuine))
    path = root[1].get("d")
    assert path.startswith("M0 .5")
    drawn, x, y = set(), 0.0, 0.5
    for move_x, move_y, length in re.findall(r"m(-?\d+) (-?\d+)h(\d+)", path[5:]):
        x, y = x + int(move_x), y + int(move_y)
        drawn |= {(int(x) + i, int(y - 0.5)) for i in range(int(length))}
        x += int(length)
    assert "".join(re.findall(r"m-?\d+ -?\d+h\d+", path[5:])) == path[5:]  # nothing else
    matrix = qr._make(genuine, box_size=10).get_matrix()
    dark = {(col, row) for row, cells in enumerate(matrix) for col, on in enumerate(cells) if on}
    assert drawn == dark
    assert len(matrix) == int(root.get("viewBox").split()[2])


def test_text_outside_the_alphanumeric_set_is_refused():
    with pytest.raises(QrEncodingError):
        qr.render_png("EUC1:lower case")


def test_qrcode_glog_zero_bug_becomes_a_clear_error():
    # Regression for qrcode 8.2 (upstream issue #330): a Reed-Solomon block whose data
    # codewords are all zero, here from a run of "0" (value 0 in alphanumeric pairs).
    text = "EUC1:" + "0" * 40
    with pytest.raises(QrEncodingError, match="issue #330"):
        qr.render_png(text)
    with pytest.raises(QrEncodingError, match="issue #330"):
        qr.render_svg(text)
