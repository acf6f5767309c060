"""Finding the QR code in a picture: run in a child process (qr_reader.py), never in a request.

Nothing here imports Flask: the child that runs it only opens, scales and decodes, and answers
an outcome code that the parent turns into a sentence.
"""

from __future__ import annotations

import io
import warnings
from enum import StrEnum

import zxingcpp
from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a 40-megapixel photo is plenty; more is a decompression bomb
FORMATS = ("PNG", "JPEG", "WEBP")

# The largest code a certificate may need is version 30: 137 modules and a quiet zone of 4 on
# each side. A camera's blur and JPEG need about 4 pixels a module, and a photo of the printed
# A4 page, taken as a whole, still shows the 70 mm code across a third of its longer side.
# Anything larger only gives the decoder more to search: a picture is scaled down to this.
V30_MODULES = 137 + 2 * 4
PIXELS_PER_MODULE = 4
SMALLEST_SHARE = 3
MAX_SIDE = V30_MODULES * PIXELS_PER_MODULE * SMALLEST_SHARE  # 1,740 pixels


class Outcome(StrEnum):
    TEXT = "text"
    NOT_A_PHOTO = "not_a_photo"  # GIF, TIFF, ...: not what a phone or scanner sends
    TOO_MANY_PIXELS = "too_many_pixels"
    UNREADABLE = "unreadable"  # not an image, broken, or the decoder gave up on it
    NO_CODE = "no_code"
    TIMED_OUT = "timed_out"  # said by the parent, which stopped the child


def scaled(image: Image.Image) -> Image.Image:
    """The picture in grey, its longer side at most MAX_SIDE pixels (a JPEG is decoded at the
    smaller size straight away)."""
    image.draft("L", (MAX_SIDE, MAX_SIDE))
    grey = image.convert("L")
    if max(grey.size) > MAX_SIDE:
        grey.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BOX)
    return grey


def decode(data: bytes) -> tuple[Outcome, str]:
    """The outcome, and the text of the first QR code when there is one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in FORMATS:
                    return Outcome.NOT_A_PHOTO, ""
                if image.width * image.height > MAX_PIXELS:
                    return Outcome.TOO_MANY_PIXELS, ""
                grey = scaled(image)
        results = zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Outcome.UNREADABLE, ""
    texts = [r.text for r in results if r.valid and r.text]
    return (Outcome.TEXT, texts[0]) if texts else (Outcome.NO_CODE, "")
