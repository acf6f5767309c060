"""Reading a QR code from a photo or screenshot, server-side, without trusting the file."""

from __future__ import annotations

import io
import warnings

import zxingcpp
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from ..errors import PayloadTooLarge, invalid

MAX_PIXELS = 40_000_000  # a 40-megapixel photo is plenty; more is a decompression bomb
IMAGE_LIMIT = 8 * 1024 * 1024  # bytes: a phone's photo; requests are capped at 10 MiB


def uploaded(upload) -> bytes:
    """The whole uploaded file, or a 413 saying the limit: never the first part of it, which
    would then read as a broken image."""
    data = upload.read(IMAGE_LIMIT + 1)
    if len(data) > IMAGE_LIMIT:
        raise PayloadTooLarge(_l("Images are limited to %(n)s MiB.",
                                 n=IMAGE_LIMIT // (1024 * 1024)))
    return data


def read_qr(data: bytes) -> str:
    """The text of the first QR code in the image; a 422 that says why when there is none."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ("PNG", "JPEG", "WEBP"):
                    raise invalid("image", _l("must be a PNG or JPEG photo of the QR code"))
                if image.width * image.height > MAX_PIXELS:
                    raise invalid("image", _l("is too large (more than 40 megapixels)"))
                image.load()
                results = zxingcpp.read_barcodes(image.convert("L"),
                                                 formats=zxingcpp.BarcodeFormat.QRCode)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise invalid("image", _l("is not a readable PNG or JPEG image")) from None
    texts = [r.text for r in results if r.valid and r.text]
    if not texts:
        raise invalid("image", _l("contains no readable QR code: photograph it flat, sharp "
                                  "and filling most of the frame"))
    return texts[0]
