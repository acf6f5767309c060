"""Photos are read for QR codes only: the modules of a QR can also read as a linear barcode.

The payload below is the one a CI run met: rows 120 to 123 of its PNG read as the EAN-13
8451391417830, so a reader that accepts every format finds two codes in the picture.
"""
import io

import pytest
import zxingcpp
from PIL import Image

from broker_registry.customs.images import read_qr
from broker_registry.customs.qr_reader import QrReader
from broker_registry.errors import ValidationFailed
from certs import qr

LOOKALIKE = (
    "EUC1:NCFD%DGZ9+J2K52%WNFZAYP5PHKFO2V:L.W83SRII89H9K96RI85LIQTN6UA44FPSIX9V2ZR9EVUXD5P92IB5 "
    "32/5WIE6G4Q55:5B406ED20KG./NL9F5S0.$SC90N992+UM.JPQ3H6WTAW8KJ.RE7/DTZV4OE1HOR7HMMJ8$27DT218R"
    "+MGWOR:SSVV979SYU 7GEMBBGH+3GU:BRXEA6M*%RG/RK*5Z7O:NVB C.+E:8BX7RU1SSCDD$BG+5BICHA7GS61R6 "
    "*QIECMMDLQURN6CT1.AT4GAULKOD5AI5RY30%F+MSINLDS3BB1X1MAJC:ME4Q6JQ6LLO%Q7*1NB.L8KGFON-HE9Q6HWHC"
    "3TF-D7RMC+PONIF$EM6TEU66.8PN7C0LVDL$6CZEQ %0TLI26I/65D:N1*31ATFI83N6+KS-O4HFI.$82*SC "
    "M9H3D3ONU06YGSE4:WCCEMKXGK/BDIATO92KRPL1D*Q31O/KTMF61G1ZYC T63A7BTE/5CBBOZ:DMN78MJBK6-T5M:BTY"
    "M1Q9TVKWH4S0M:CCO1H.G1/*GCHS 6QVGIR490OC4NQEQQB4J34BUXV-%BNXF 511UNSAUJJO0GK9:MKU8S-3-%2$Y9C3"
    "6AOAS30O 1Y75UJS/IUNP0/4JTB3GDK1OKW H./KIOVQ8TODA-%CESO.4HEBUX/NRCE CRK%D6*3H:F6NV3USGIR2BM6+"
    "4O.P8QHAYR96F$ZF/ZFKDTIGT6T774WQVRL$U3RK /SUO9Z*R"
)


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def picture():
    return Image.open(io.BytesIO(qr.render_png(LOOKALIKE)))


def test_the_picture_holds_a_linear_barcode_lookalike(picture):
    formats = {r.format for r in zxingcpp.read_barcodes(picture)}
    assert formats == {zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.EAN13}


def test_only_the_qr_code_is_read(picture):
    assert read_qr(_png(picture), QrReader(2.0)) == LOOKALIKE


def test_a_strip_that_reads_only_as_ean13_has_no_qr_code(picture):
    strip = picture.crop((0, 100, picture.width, 140))
    assert [r.text for r in zxingcpp.read_barcodes(strip)] == ["8451391417830"]
    with pytest.raises(ValidationFailed) as refused:
        read_qr(_png(strip), QrReader(2.0))
    assert "no readable QR code" in refused.value.errors[0].message
