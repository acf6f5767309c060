"""Reading a QR code from a photo or screenshot, server-side, without trusting the file.

The file's size is bounded here; the picture is opened, scaled and searched in a child process
under a deadline (qr_reader.py, picture.py), and its outcome said here, in the reader's words.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import PayloadTooLarge, invalid
from .picture import Outcome
from .qr_reader import QrReader

IMAGE_LIMIT = 8 * 1024 * 1024  # bytes: a phone's photo; requests are capped at 10 MiB


def uploaded(upload) -> bytes:
    """The whole uploaded file, or a 413 saying the limit: never the first part of it, which
    would then read as a broken image."""
    data = upload.read(IMAGE_LIMIT + 1)
    if len(data) > IMAGE_LIMIT:
        raise PayloadTooLarge(_l("Images are limited to %(n)s MiB.",
                                 n=IMAGE_LIMIT // (1024 * 1024)))
    return data


def _refusal(outcome: Outcome, deadline: float) -> str:
    if outcome == Outcome.NOT_A_PHOTO:
        return _l("must be a PNG or JPEG photo of the QR code")
    if outcome == Outcome.TOO_MANY_PIXELS:
        return _l("is too large (more than 40 megapixels)")
    if outcome == Outcome.TIMED_OUT:
        return _l("could not be read in time (%(n)s seconds): photograph the code alone, "
                  "flat and sharp, and send it again, or type or paste the code",
                  n=format(deadline, "g"))
    if outcome == Outcome.NO_CODE:
        return _l("contains no readable QR code: photograph it flat, sharp and filling most of "
                  "the frame")
    return _l("is not a readable PNG or JPEG image")


def read_qr(data: bytes, reader: QrReader) -> str:
    """The text of the first QR code in the image; a 422 that says why when there is none."""
    outcome, text = reader.read(data)
    if outcome == Outcome.TEXT:
        return text
    raise invalid("image", _refusal(outcome, reader.deadline))


def qr_reader() -> QrReader:
    return current_app.extensions["qr_reader"]
